import { ProviderFileError } from "./errors.js";
import type { FieldSpec, FileLayout, KindSpec } from "./kinds.js";

/** Positions of the template columns in a file's header. */
export interface ColumnMap {
  /** Index in the header of each template column the file has. */
  indexes: ReadonlyMap<string, number>;
  /** The file's own name of each mapped column, by template column name. */
  columnNames: Readonly<Record<string, string>>;
  /** Header names that match no template column; their values are not read. */
  ignored: string[];
}

/**
 * Returns a header name in the form used to compare it with the template
 * and its aliases: lower case, without spaces, `_`, `-`, `.` or brackets,
 * so `Tracked At`, `tracked_at` and `TRACKED-AT` are the same column.
 */
export function comparableName(name: string): string {
  return name
    .replace(/^\uFEFF/, "")
    .toLowerCase()
    .replace(/[\s_\-.()[\]]/g, "");
}

/**
 * Finds the template columns in a header by name or alias. Throws a
 * ProviderFileError when two header columns mean the same template column,
 * or when a required column (or one of each `anyOf` set) is missing.
 */
export function mapColumns(
  header: readonly string[],
  spec: KindSpec,
  file: string,
): ColumnMap {
  const byName = fieldsByComparableName(spec);
  const fallbacks = fallbacksByComparableName(spec);
  const layoutColumns = layoutOf(header, spec)?.columns ?? {};
  const indexes = new Map<string, number>();
  const columnNames: Record<string, string> = {};
  const ignored: string[] = [];

  header.forEach((rawName, index) => {
    const name = rawName.replace(/^\uFEFF/, "").trim();
    const layoutField = layoutColumns[comparableName(name)];
    const field =
      layoutField === undefined
        ? byName.get(comparableName(name))
        : spec.fields.find((candidate) => candidate.name === layoutField);
    if (field === undefined) {
      const fallbackOf = fallbacks.get(comparableName(name));
      if (fallbackOf !== undefined && !indexes.has(fallbackName(fallbackOf))) {
        indexes.set(fallbackName(fallbackOf), index);
        columnNames[fallbackName(fallbackOf)] = name;
        return;
      }
      ignored.push(name);
      return;
    }
    const earlier = columnNames[field.name];
    if (earlier !== undefined) {
      throw new ProviderFileError(
        `${file} has two columns for ${field.name}: "${earlier}" and "${name}". Delete or rename one of them.`,
        file,
        "duplicate_column",
      );
    }
    indexes.set(field.name, index);
    columnNames[field.name] = name;
  });

  checkRequiredColumns(spec, indexes, header, file);
  return { indexes, columnNames, ignored };
}

/** Returns the known layout whose header is `header`, compared by comparableName. */
function layoutOf(
  header: readonly string[],
  spec: KindSpec,
): FileLayout | undefined {
  const names = header.map(comparableName).join(",");
  return spec.layouts?.find(
    (layout) => layout.header.map(comparableName).join(",") === names,
  );
}

/** Returns the key of a field's fallback column in the values of a row. */
export function fallbackName(field: string): string {
  return `${field}:fallback`;
}

function fallbacksByComparableName(spec: KindSpec): Map<string, string> {
  const byName = new Map<string, string>();
  for (const field of spec.fields) {
    for (const alias of field.fallbackAliases ?? []) {
      byName.set(comparableName(alias), field.name);
    }
  }
  return byName;
}

function fieldsByComparableName(spec: KindSpec): Map<string, FieldSpec> {
  const byName = new Map<string, FieldSpec>();
  for (const field of spec.fields) {
    byName.set(comparableName(field.name), field);
  }
  // Aliases come second, so a template name always wins over another field's alias.
  for (const field of spec.fields) {
    for (const alias of field.aliases) {
      const key = comparableName(alias);
      if (!byName.has(key)) {
        byName.set(key, field);
      }
    }
  }
  return byName;
}

function checkRequiredColumns(
  spec: KindSpec,
  indexes: ReadonlyMap<string, number>,
  header: readonly string[],
  file: string,
): void {
  const shownHeader = JSON.stringify(header.join(","));
  for (const field of spec.fields) {
    if (field.required && !indexes.has(field.name)) {
      throw missingColumn(file, spec, [field], shownHeader);
    }
  }
  for (const names of spec.anyOf) {
    if (!names.some((name) => indexes.has(name))) {
      const fields = spec.fields.filter((field) => names.includes(field.name));
      throw missingColumn(file, spec, fields, shownHeader);
    }
  }

  const hasLatitude = indexes.has("latitude");
  if (hasLatitude !== indexes.has("longitude")) {
    const missing = spec.fields.filter(
      (field) => field.name === (hasLatitude ? "longitude" : "latitude"),
    );
    throw missingColumn(file, spec, missing, shownHeader);
  }
}

function missingColumn(
  file: string,
  spec: KindSpec,
  fields: readonly FieldSpec[],
  shownHeader: string,
): ProviderFileError {
  const wanted = fields
    .map((field) => `${field.name} (or ${field.aliases.join(", ")})`)
    .join(" or ");
  return new ProviderFileError(
    `${file} has no column ${wanted}, which ${spec.kind} files need. The header is ${shownHeader}. Add the column or rename one to its template name.`,
    file,
    "missing_column",
  );
}
