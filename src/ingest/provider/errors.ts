/**
 * A provider file that cannot be read at all: it is empty, has no header or
 * no data rows, lacks a required column, or is not valid text. Errors in
 * single rows are rejected rows instead, and the rest of the file is read.
 */
export class ProviderFileError extends Error {
  override readonly name = "ProviderFileError";

  constructor(
    message: string,
    /** Name of the file, without its folder. */
    readonly file: string,
    /** Stable name of the broken rule, such as `empty_file` or `missing_column`. */
    readonly rule: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
