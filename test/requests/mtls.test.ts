import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createOrganisation } from "../../src/accounts/organisations.js";
import { createProviderApiKey } from "../../src/providers/index.js";
import { createAccount, startTestSystem } from "../support/system.js";
import type { System } from "./fixtures.js";

interface Pem {
  cert: Buffer;
  key: Buffer;
}

/** Runs openssl with the arguments in the folder, failing the test on an error. */
function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

/** Creates a key and a certificate signed by the CA in `dir`, or self-signed without one. */
function issue(
  dir: string,
  name: string,
  options: { ca?: string; ipSan?: boolean } = {},
): Pem {
  openssl(dir, [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${name}.key`,
    "-subj",
    `/CN=${name}`,
    ...(options.ca === undefined
      ? ["-x509", "-days", "2", "-out", `${name}.crt`]
      : ["-out", `${name}.csr`]),
  ]);
  if (options.ca !== undefined) {
    const extensions = path.join(dir, `${name}.ext`);
    fs.writeFileSync(
      extensions,
      options.ipSan === true ? "subjectAltName=IP:127.0.0.1\n" : "",
    );
    openssl(dir, [
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${options.ca}.crt`,
      "-CAkey",
      `${options.ca}.key`,
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      extensions,
      "-out",
      `${name}.crt`,
    ]);
  }
  return {
    cert: fs.readFileSync(path.join(dir, `${name}.crt`)),
    key: fs.readFileSync(path.join(dir, `${name}.key`)),
  };
}

/** Sends a GET over HTTPS with an optional client certificate and returns the status. */
function get(
  url: string,
  ca: Buffer,
  secret: string,
  client: Pem | null,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      url,
      {
        ca,
        headers: { authorization: `Bearer ${secret}` },
        ...(client === null ? {} : { cert: client.cert, key: client.key }),
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
  });
}

const TLS_VARIABLES = [
  "EPITRACE_TLS_CERT_FILE",
  "EPITRACE_TLS_KEY_FILE",
  "EPITRACE_PROVIDER_CLIENT_CA_FILE",
] as const;

describe("provider API over mutual TLS", () => {
  let dir: string;
  let system: System;
  let ca: Buffer;
  let operator: Pem;
  let otherOperator: Pem;
  let selfSigned: Pem;
  let boundKey: string;
  let unboundKey: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-mtls-"));
    issue(dir, "ca");
    ca = fs.readFileSync(path.join(dir, "ca.crt"));
    issue(dir, "server", { ca: "ca", ipSan: true });
    operator = issue(dir, "operator", { ca: "ca" });
    otherOperator = issue(dir, "other-operator", { ca: "ca" });
    selfSigned = issue(dir, "self-signed");

    const saved = TLS_VARIABLES.map((name) => process.env[name]);
    process.env.EPITRACE_TLS_CERT_FILE = path.join(dir, "server.crt");
    process.env.EPITRACE_TLS_KEY_FILE = path.join(dir, "server.key");
    process.env.EPITRACE_PROVIDER_CLIENT_CA_FILE = path.join(dir, "ca.crt");
    try {
      system = await startTestSystem();
    } finally {
      TLS_VARIABLES.forEach((name, index) => {
        const value = saved[index];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      });
    }

    const { db } = system.store;
    const telecom = await createOrganisation(db, {
      name: "SK Telecom",
      kind: "telecom_operator",
    });
    const operations = await createOrganisation(db, {
      name: "System operator",
      kind: "system_operator",
    });
    const admin = await createAccount(system, {
      organisationId: operations.id,
      username: "ops.admin",
      role: "administrator",
    });
    const context = {
      db,
      caller: { user: admin, organisation: operations, sourceAddress: null },
    };
    const fingerprint = new X509Certificate(operator.cert).fingerprint256;
    boundKey = (
      await createProviderApiKey(context, {
        organisationId: telecom.id,
        name: "bound batch server",
        clientCertSha256: fingerprint,
      })
    ).secret;
    unboundKey = (
      await createProviderApiKey(context, {
        organisationId: telecom.id,
        name: "unbound batch server",
      })
    ).secret;
  });

  afterAll(async () => {
    await system?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves HTTPS on loopback", () => {
    expect(system.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("takes a bound key with its certificate", async () => {
    const status = await get(
      `${system.url}/api/provider/requests`,
      ca,
      boundKey,
      operator,
    );
    expect(status).toBe(200);
  });

  it("rejects a bound key without its certificate", async () => {
    const url = `${system.url}/api/provider/requests`;
    expect(await get(url, ca, boundKey, null)).toBe(401);
    expect(await get(url, ca, boundKey, otherOperator)).toBe(401);
    expect(await get(url, ca, boundKey, selfSigned)).toBe(401);
  });

  it("takes an unbound key without a certificate", async () => {
    const status = await get(
      `${system.url}/api/provider/requests`,
      ca,
      unboundKey,
      null,
    );
    expect(status).toBe(200);
  });

  it("audits certificate failures", async () => {
    const events = await system.store.db
      .selectFrom("audit_events")
      .select(["detail"])
      .where("action", "=", "provider.authenticate")
      .where("result", "=", "denied")
      .execute();
    const reasons = events.map(
      (event) => (JSON.parse(event.detail) as { reason: string }).reason,
    );
    expect(
      reasons.filter((r) => r === "client_certificate_missing"),
    ).toHaveLength(2);
    expect(
      reasons.filter((r) => r === "client_certificate_mismatch"),
    ).toHaveLength(1);
  });
});
