import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  baseStationFile,
  createCase,
  createKey,
  createRequestWorld,
  locationRequestBody,
  submitRequest,
  type System,
} from "./fixtures.js";
import { runProviderCommand } from "../support/provider-cli.js";
import { startTestSystem } from "../support/system.js";

/** Runs `epitrace provider ...` without printing Commander's error messages. */
function runQuietProviderCommand(args: string[]): Promise<string> {
  return runProviderCommand(args, { silenceErrors: true });
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
      runQuietProviderCommand([
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
      runQuietProviderCommand([
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
      runQuietProviderCommand([
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
      runQuietProviderCommand([
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
      await runQuietProviderCommand([
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
      await runQuietProviderCommand([
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
