import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { runCliChild } from "../src/ingest/provider/child-run.js";
import { writeSyntheticAnswer } from "../src/ingest/provider/synthetic.js";
import type { BenchmarkResult } from "./result.js";

/** The response to one data request: 1,316 phones over 13 days, 2,964 rows each (3.9 million rows). */
const REQUEST_PHONES = 1_316;
const ROWS_PER_PHONE = 2_964;
const DAYS = 13;

/** Phones of the large case: 7,600 × 2,964 rows of about 95 bytes is about 2.1 GB. */
export const LARGE_PHONES = 7_600;
const MAX_RSS_BYTES = 300 * 2 ** 20;

/**
 * Measures `epitrace import FILE --kind base-station` end to end, from a
 * CSV file to committed rows in a fresh embedded store, in a child
 * process that runs the compiled command line, as `npx epitrace` does
 * after `npm install`. It builds the server first. With
 * EPITRACE_BENCH_LARGE=1 it also imports a file of more than 2 GB and
 * reports its peak memory.
 */
export async function benchmarkImport(): Promise<BenchmarkResult[]> {
  execFileSync("npm", ["run", "--silent", "build:server"], {
    stdio: "inherit",
  });
  const results = [await measureImport(REQUEST_PHONES, "one request")];
  if (process.env.EPITRACE_BENCH_LARGE === "1") {
    results.push(await measureImport(LARGE_PHONES, "large file"));
  }
  return results;
}

/** Writes a file of `phones` × 2,964 rows and measures its import. */
export async function measureImport(
  phones: number,
  label: string,
): Promise<BenchmarkResult> {
  const folder = await mkdtemp(
    path.join(os.tmpdir(), "epitrace-bench-import-"),
  );
  try {
    const file = path.join(folder, "answer.csv");
    const written = await writeSyntheticAnswer(file, {
      phones,
      rowsPerPhone: ROWS_PER_PHONE,
      days: DAYS,
    });
    const run = await runCliChild(
      ["import", file, "--kind", "base-station"],
      path.join(folder, "store"),
      {},
      true,
    );
    if (run.exitCode !== 0) {
      throw new Error(`epitrace import failed: ${run.stderr}`);
    }
    const megabytes = (written.bytes / 2 ** 20).toFixed(0);
    const rssMebibytes = (run.maxRssBytes / 2 ** 20).toFixed(0);
    return {
      name: `provider import, ${label}`,
      measure:
        `${written.rows.toLocaleString("en")} base-station rows of ${phones.toLocaleString("en")} phones ` +
        `(${megabytes} MiB CSV) into a new store, compiled CLI in a child process; ` +
        `${run.seconds.toFixed(1)} s, peak RSS ${rssMebibytes} MiB`,
      value: written.rows / run.seconds,
      unit: "records/s",
      target:
        phones === REQUEST_PHONES
          ? "500,000 records/s"
          : `peak RSS < ${MAX_RSS_BYTES / 2 ** 20} MiB`,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  for (const result of await benchmarkImport()) {
    process.stdout.write(
      `| ${result.name} | ${result.measure} | ${Math.round(result.value).toLocaleString("en")} ${result.unit} | ${result.target} |\n`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
