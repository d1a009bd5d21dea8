import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { importProviderFiles } from "../../src/ingest/provider/index.js";
import { ImportValidationError } from "../../src/ingest/report.js";
import { openFieldKeys, type FieldKeys } from "../../src/privacy/index.js";
import { openStore, type Store } from "../../src/store/index.js";

const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../..",
);
const ROUTES = path.resolve(
  repoRoot,
  "../shared/data/korea-covid/ds4c-early-20200319/routes.csv",
);

let folder: string;
let store: Store;
let keys: FieldKeys;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "epitrace-ds4c-early-"));
  store = await openStore({ dataDir: folder });
  keys = openFieldKeys(folder, {});
});

afterAll(async () => {
  await store.close();
  keys.close();
  await rm(folder, { recursive: true, force: true });
});

describe("early DS4C routes.csv imported as interview visits", () => {
  it("stores nothing without a date format", async () => {
    const attempt = importProviderFiles(store, [ROUTES], {
      kind: "interview",
      keys,
    });
    await expect(attempt).rejects.toBeInstanceOf(ImportValidationError);
    const stored = await store.db
      .selectFrom("location_records")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(0);
  });

  // Rows without a global_id name their patient by local_id, which then
  // is the subject.
  it("imports one person per patient", async () => {
    const rejectedFile = path.join(folder, "rejected.csv");
    const { report, rejectedFile: written } = await importProviderFiles(
      store,
      [ROUTES],
      {
        kind: "interview",
        dateFormat: "M/D/YY",
        keys,
        skipInvalid: true,
        rejectedFile,
      },
    );
    expect(report.rowsRead).toBe(4_043);
    expect(report.rowsRejected).toBe(1_981);
    expect(report.records.locationRecords).toBe(1_963);
    expect(report.records.personsCreated).toBe(405);
    expect(written).toBe(rejectedFile);

    const rejectedLines = (await readFile(rejectedFile, "utf8"))
      .trimEnd()
      .split("\n");
    expect(rejectedLines[0]).toBe("file,row,field,value,rule,hint");
    // A row that breaks several rules has a line for each.
    const rejectedRows = new Set(
      rejectedLines.slice(1).map((line) => line.split(",")[1]),
    );
    expect(rejectedRows.size).toBe(1_981);

    const persons = await store.db
      .selectFrom("location_records")
      .select((eb) => eb.fn.count<number>("person_id").distinct().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(persons.count)).toBe(405);
  });

  it("adds nothing on a second import", async () => {
    const { report } = await importProviderFiles(store, [ROUTES], {
      kind: "interview",
      dateFormat: "M/D/YY",
      keys,
      skipInvalid: true,
      rejectedFile: path.join(folder, "rejected-again.csv"),
    });
    expect(report.skippedAsAlreadyImported).toBe(true);
    const stored = await store.db
      .selectFrom("location_records")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(1_963);
  });
});
