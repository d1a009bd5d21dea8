import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TemporaryFolder } from "../ingest/provider/test-support.js";

const folder = new TemporaryFolder();
const MAIN = pathToFileURL(
  path.join(path.dirname(fileURLToPath(import.meta.url)), "main.ts"),
).href;

beforeAll(() => folder.create());
afterAll(() => folder.remove());

/** Runs `epitrace ARGS` from the sources and closes its standard output after the first chunk. */
function runAndCloseOutput(
  args: readonly string[],
): Promise<{ exitCode: number | null; stderr: string }> {
  const runner =
    `import(${JSON.stringify(MAIN)}).then((cli) => cli.main(process.argv))` +
    `.catch((error) => { console.error(error); process.exitCode = 1; });`;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "-e", runner, "--", "epitrace", ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  child.stdout.once("data", () => child.stdout.destroy());
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, stderr }));
  });
}

describe("epitrace output to a closed pipe", () => {
  it("ends quietly when the reader goes", async () => {
    const rows = ["tracked_at,latitude,longitude,accuracy_meters"];
    for (let index = 0; index < 20_000; index++) {
      const second = String(index % 60).padStart(2, "0");
      const minute = String(Math.floor(index / 60) % 60).padStart(2, "0");
      const hour = String(Math.floor(index / 3600)).padStart(2, "0");
      rows.push(
        `2024-03-05T${hour}:${minute}:${second}+09:00,37.5665,${(126.978 + index * 1e-6).toFixed(6)},10`,
      );
    }
    const file = await folder.write("track.csv", `${rows.join("\n")}\n`);

    const run = await runAndCloseOutput([
      "validate",
      file,
      "--kind",
      "gps",
      "--json",
    ]);

    expect(run.stderr).not.toContain("EPIPE");
    expect(run.exitCode).toBe(0);
  });
});
