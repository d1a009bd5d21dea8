/** One entry of the error catalogue: a stable code, its HTTP status and whether it is a fault of ours. */
interface ErrorKind {
  status: number;
  /** True for faults of the system, which are logged as errors. */
  reported: boolean;
}

const ERROR_KINDS = {
  authentication_required: { status: 401, reported: false },
  invalid_credentials: { status: 401, reported: false },
  account_locked: { status: 403, reported: false },
  address_not_allowed: { status: 403, reported: false },
  password_change_required: { status: 403, reported: false },
  second_factor_required: { status: 403, reported: false },
  forbidden: { status: 403, reported: false },
  not_found: { status: 404, reported: false },
  validation_failed: { status: 400, reported: false },
  password_rule: { status: 400, reported: false },
  conflict: { status: 409, reported: false },
  invalid_transition: { status: 409, reported: false },
  request_expired: { status: 409, reported: false },
  internal: { status: 500, reported: true },
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_KINDS;

/** An error the API returns as `{ error: { code, message } }` with the code's status. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly reported: boolean;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_KINDS[code].status;
    this.reported = ERROR_KINDS[code].reported;
  }
}

/** Returns the error for a record that does not exist or that the caller may not know of. */
export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} not found.`);
}
