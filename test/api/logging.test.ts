import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { readSettings } from "../../src/config/settings.js";
import {
  createLogger,
  startSystem,
  type RunningSystem,
} from "../../src/server/index.js";

describe("server log", () => {
  const lines: string[] = [];
  let system: RunningSystem;
  let dataDir: string;
  let password: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-log-"));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const logger = createLogger("trace", sink);
    const settings = { ...readSettings({}), dataDir, port: 0 };
    system = await startSystem({ settings, logger });
    password = system.bootstrap?.oneTimePassword ?? "";

    const login = await fetch(`${system.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    const cookie = login.headers.get("set-cookie") ?? "";
    await fetch(`${system.url}/api/cases?q=1000000013`, {
      headers: { cookie: cookie.split(";")[0] ?? "" },
    });
  });

  afterAll(async () => {
    await system.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("logs requests", () => {
    expect(lines.some((line) => line.includes('"path":"/api/session"'))).toBe(
      true,
    );
  });

  it("never logs the one-time password", () => {
    expect(password).toHaveLength(20);
    expect(lines.join("")).not.toContain(password);
  });

  it("never logs the session token", () => {
    expect(lines.join("")).not.toContain("epitrace_session=");
  });

  it("never logs query strings", () => {
    expect(lines.join("")).not.toContain("1000000013");
  });
});
