import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { registerProviderCommand } from "../../src/cli/commands/provider.js";
import {
  baseStationFile,
  createCase,
  createKey,
  createRequestWorld,
  locationRequestBody,
  submitRequest,
  type System,
} from "./fixtures.js";
import { startTestSystem } from "../support/system.js";

/** Runs `epitrace provider ...` in this process and returns what it printed. */
async function runProviderCommand(args: string[]): Promise<string> {
  const program = new Command("epitrace").exitOverride();
  program.configureOutput({ writeErr: () => undefined });
  registerProviderCommand(program);
  const printed: string[] = [];
  const spy = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => {
      printed.push(chunk.toString());
      return true;
    });
  try {
    await program.parseAsync(args, { from: "user" });
  } finally {
    spy.mockRestore();
  }
  return printed.join("");
}

describe("epitrace provider", () => {
  let system: System;
  let workDir: string;
  let keyFile: string;
  let requestId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    const world = await createRequestWorld(system);
    const caseId = await createCase(world.seoul, "S-5001", "박민수");
    requestId = await submitRequest(
      world.seoul,
      locationRequestBody(caseId, [world.skt.id]),
    );
    await world.police.request(
      "POST",
      `/api/location-approvals/${requestId}/approve`,
      {},
    );

    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-cli-"));
    keyFile = path.join(workDir, "key");
    fs.writeFileSync(
      keyFile,
      (await createKey(world.admin, world.skt.id)).secret,
      {
        mode: 0o600,
      },
    );
  });

  afterAll(async () => {
    await system.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("rejects a URL that is not http", async () => {
    await expect(
      runProviderCommand([
        "provider",
        "pull",
        "--url",
        "ftp://host",
        "--key-file",
        keyFile,
      ]),
    ).rejects.toThrow("expected an http or https URL");
  });

  it("names a missing key file", async () => {
    const missing = path.join(workDir, "missing.key");

    await expect(
      runProviderCommand([
        "provider",
        "pull",
        "--url",
        system.url,
        "--key-file",
        missing,
      ]),
    ).rejects.toThrow(`Cannot read the key file ${missing}`);
  });

  it("rejects an unknown data kind", async () => {
    await expect(
      runProviderCommand([
        "provider",
        "upload",
        "--url",
        system.url,
        "--key-file",
        keyFile,
        "--request",
        requestId,
        "--kind",
        "cctv",
        keyFile,
      ]),
    ).rejects.toThrow("cctv");
  });

  it("shows the server's error message", async () => {
    const file = path.join(workDir, "answer.csv");
    fs.writeFileSync(file, baseStationFile(1));

    await expect(
      runProviderCommand([
        "provider",
        "upload",
        "--url",
        system.url,
        "--key-file",
        keyFile,
        "--request",
        "00000000-0000-4000-8000-000000000000",
        "--kind",
        "base_station",
        file,
      ]),
    ).rejects.toThrow(
      "failed with status 404: Request part for this provider not found.",
    );
  });

  it("withdraws an upload", async () => {
    const file = path.join(workDir, "answer.csv");
    fs.writeFileSync(file, baseStationFile(2));
    const connection = ["--url", system.url, "--key-file", keyFile];
    const receipt = JSON.parse(
      await runProviderCommand([
        "provider",
        "upload",
        ...connection,
        "--request",
        requestId,
        "--kind",
        "base_station",
        file,
      ]),
    ) as { uploadId: string; state: string };

    const withdrawn = JSON.parse(
      await runProviderCommand([
        "provider",
        "withdraw",
        ...connection,
        "--request",
        requestId,
        "--upload",
        receipt.uploadId,
        "--reason",
        "wrong cells",
      ]),
    ) as { uploadId: string; state: string; decisionReason: string };

    expect(receipt.state).toBe("received");
    expect(withdrawn).toMatchObject({
      uploadId: receipt.uploadId,
      state: "withdrawn",
      decisionReason: "wrong cells",
    });
  });
});
