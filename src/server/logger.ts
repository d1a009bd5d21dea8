import pino, { type DestinationStream, type Logger } from "pino";

/**
 * Creates the process logger. Cookies and credentials are redacted, and
 * request logs carry the method, path and status but no body and no query
 * string, so that no personal datum reaches a log line.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        'res.headers["set-cookie"]',
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({
        id: request.id,
        method: request.method,
        path: request.url.split("?")[0],
      }),
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
