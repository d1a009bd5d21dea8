import fs from "node:fs";
import type { ServerOptions } from "node:https";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";

import { AppError } from "../errors.js";

/** A client certificate that a TLS connection presented. */
export interface ClientCertificate {
  /** True when the certificate chains to the provider client CA. */
  authorized: boolean;
  /** SHA-256 of the certificate (DER), lowercase hex without colons. */
  sha256: string;
}

type Environment = Record<string, string | undefined>;

/**
 * Reads the TLS files of the server from the environment and returns the
 * HTTPS options, or null to serve plain HTTP (such as behind a proxy that
 * terminates TLS). `EPITRACE_PROVIDER_CLIENT_CA_FILE` makes the server
 * request client certificates and check them against that CA. A
 * connection without a valid certificate is still accepted, because the
 * web app takes none; provider API keys bound to a certificate then fail.
 */
export function readServerTlsOptions(
  env: Environment = process.env,
): ServerOptions | null {
  const certFile = env.EPITRACE_TLS_CERT_FILE;
  const keyFile = env.EPITRACE_TLS_KEY_FILE;
  const clientCaFile = env.EPITRACE_PROVIDER_CLIENT_CA_FILE;
  if (certFile === undefined && keyFile === undefined) {
    if (clientCaFile !== undefined) {
      throw new Error(
        "Invalid setting EPITRACE_PROVIDER_CLIENT_CA_FILE: client certificates need TLS, so set EPITRACE_TLS_CERT_FILE and EPITRACE_TLS_KEY_FILE too.",
      );
    }
    return null;
  }
  if (certFile === undefined || keyFile === undefined) {
    throw new Error(
      "Invalid TLS settings: set both EPITRACE_TLS_CERT_FILE and EPITRACE_TLS_KEY_FILE (PEM files), or neither.",
    );
  }
  return {
    cert: readPem("EPITRACE_TLS_CERT_FILE", certFile),
    key: readPem("EPITRACE_TLS_KEY_FILE", keyFile),
    ...(clientCaFile === undefined
      ? {}
      : {
          ca: readPem("EPITRACE_PROVIDER_CLIENT_CA_FILE", clientCaFile),
          requestCert: true,
          rejectUnauthorized: false,
        }),
  };
}

/** Returns the client certificate of a connection, or null on plain HTTP or without one. */
export function clientCertificateOf(socket: Socket): ClientCertificate | null {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== "function") {
    return null;
  }
  const certificate = tls.getPeerCertificate();
  if (certificate.fingerprint256 === undefined) {
    return null;
  }
  return {
    authorized: tls.authorized === true,
    sha256: normaliseFingerprint(certificate.fingerprint256),
  };
}

/**
 * Converts a SHA-256 fingerprint written with or without colons to
 * lowercase hex. Raises `validation_failed` for anything else.
 */
export function normaliseFingerprint(value: string): string {
  const hex = value.replace(/:/g, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new AppError(
      "validation_failed",
      `Invalid clientCertSha256 ${JSON.stringify(value)}: expected the certificate's SHA-256 fingerprint, 64 hex digits with or without colons (openssl x509 -noout -fingerprint -sha256).`,
    );
  }
  return hex;
}

function readPem(setting: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new Error(
      `Invalid setting ${setting}=${file}: the file cannot be read. Give the path of a PEM file.`,
      { cause: error },
    );
  }
}
