import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, bench, describe } from "vitest";

import { readCsvRows } from "./csv.js";
import { readNormalisedCsv, readNormalisedCsvBatches } from "./fast-csv.js";
import { KIND_SPECS } from "./kinds.js";
import { normaliseRow } from "./normalise.js";
import { resolveNormaliseOptions } from "./scan.js";
import { inspectFile, readText } from "./source.js";
import { writeSyntheticAnswer } from "./synthetic.js";

/** 338 phones of 2,964 rows over 13 days: 1,001,832 rows, about 91 MiB. */
const PHONES = 338;
const ROWS_PER_PHONE = 2_964;
const DAYS = 13;

const folder = await mkdtemp(path.join(os.tmpdir(), "epitrace-bench-csv-"));
const file = path.join(folder, "answer.csv");
const written = await writeSyntheticAnswer(file, {
  phones: PHONES,
  rowsPerPhone: ROWS_PER_PHONE,
  days: DAYS,
});
const inspected = await inspectFile(file, "auto");
const spec = KIND_SPECS["base-station"];
const options = resolveNormaliseOptions({ kind: "base-station" });

/** Each iteration reads the whole file, which takes seconds, so few are run. */
const FEW_ITERATIONS = {
  iterations: 3,
  time: 0,
  warmupIterations: 1,
  warmupTime: 0,
};

/** Runs `read`, which returns the records it read, and logs the rows per second. */
async function measure(
  label: string,
  read: () => Promise<number>,
): Promise<void> {
  const started = performance.now();
  const records = await read();
  const seconds = (performance.now() - started) / 1000;
  if (records !== written.rows) {
    throw new Error(
      `${label} read ${records} records, expected ${written.rows}.`,
    );
  }
  const rate = Math.round(written.rows / seconds).toLocaleString("en");
  console.log(`${label}: ${rate} rows/s`);
}

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe(`base-station CSV of ${written.rows.toLocaleString("en")} rows, read and normalised`, () => {
  bench(
    "readCsvRows and normaliseRow",
    () =>
      measure("readCsvRows and normaliseRow", async () => {
        let records = 0;
        for await (const item of readCsvRows(
          readText(inspected),
          inspected.name,
          spec,
        )) {
          if (item.type === "row" && normaliseRow(item.row, options).ok) {
            records++;
          }
        }
        return records;
      }),
    FEW_ITERATIONS,
  );

  bench(
    "readNormalisedCsv, item by item",
    () =>
      measure("readNormalisedCsv", async () => {
        let records = 0;
        for await (const item of readNormalisedCsv(
          readText(inspected),
          inspected.name,
          spec,
          options,
        )) {
          if (item.type === "record") {
            records++;
          }
        }
        return records;
      }),
    FEW_ITERATIONS,
  );

  bench(
    "readNormalisedCsvBatches",
    () =>
      measure("readNormalisedCsvBatches", async () => {
        let records = 0;
        for await (const batch of readNormalisedCsvBatches(
          readText(inspected),
          inspected.name,
          spec,
          options,
        )) {
          for (const item of batch) {
            if (item.type === "record") {
              records++;
            }
          }
        }
        return records;
      }),
    FEW_ITERATIONS,
  );

  bench(
    "decoding alone",
    async () => {
      for await (const _chunk of readText(inspected)) {
        // Only the decoded text is wanted, as a floor for the readers.
      }
    },
    FEW_ITERATIONS,
  );
});
