/** The body of every error response of the API. */
interface ErrorBody {
  error: { code: string; message: string };
}

/** A failed API call: the HTTP status and the server's error code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

type Listener = (error: ApiError) => void;

let unauthorizedListener: Listener | null = null;

/**
 * Sets the function called when the server rejects the session (401, a
 * required password change or a missing second factor), so the app can
 * return to the right login step.
 */
export function setUnauthorizedListener(listener: Listener | null): void {
  unauthorizedListener = listener;
}

export interface RequestOptions {
  body?: unknown;
  /** Skips the unauthorized listener, for calls where a 401 response is expected. */
  expectUnauthorized?: boolean;
  signal?: AbortSignal;
}

/**
 * Sends a JSON request to the API with the session cookie and returns the
 * parsed body (undefined for 204). Throws ApiError for every non-2xx status.
 */
export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { accept: "application/json" },
  };
  if (options.body !== undefined) {
    init.headers = {
      accept: "application/json",
      "content-type": "application/json",
    };
    init.body = JSON.stringify(options.body);
  }
  if (options.signal !== undefined) {
    init.signal = options.signal;
  }

  const response = await fetch(path, init);
  if (response.ok) {
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  const error = await readError(response);
  const sessionRejected =
    error.status === 401 ||
    error.code === "password_change_required" ||
    error.code === "second_factor_required";
  if (sessionRejected && options.expectUnauthorized !== true) {
    unauthorizedListener?.(error);
  }
  throw error;
}

async function readError(response: Response): Promise<ApiError> {
  const fallback = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    const code = body.error?.code ?? `http_${response.status}`;
    const message = body.error?.message ?? fallback;
    return new ApiError(response.status, code, message);
  } catch {
    return new ApiError(response.status, `http_${response.status}`, fallback);
  }
}

/** Builds a query string from the defined, non-empty values. */
export function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}
