import fs from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { commandLineActor } from "../../src/audit/index.js";
import { importProviderFiles } from "../../src/ingest/provider/index.js";
import { TemporaryFolder } from "../../src/ingest/provider/test-support.js";
import {
  findPersonsByCardNumber,
  openFieldKeys,
  type FieldKeys,
} from "../../src/privacy/index.js";
import {
  readRetentionSettings,
  runRetention,
  type DestructionCertificate,
} from "../../src/retention/index.js";
import { openStore, type Store } from "../../src/store/index.js";

const PHONE = "010-0345-6789";

const FILE_TEXT =
  "phone_number,observed_at,cell_id,cell_type,latitude,longitude,accuracy_meters,operator\n" +
  `${PHONE},2024-03-05T14:00:00+09:00,C1,,37.5665,126.978,300,SKT\n` +
  `${PHONE},2024-03-05T14:05:00+09:00,C2,,37.5670,126.979,300,SKT\n`;

/** Returns the files below a folder, keys folder included. */
function filesUnder(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Runs the retention purge as at the declared end of the epidemic on 2024-06-01. */
function runEpidemicEnd(
  store: Store,
  keys: FieldKeys,
  dataDir: string,
): Promise<DestructionCertificate[]> {
  return runRetention(
    { store, keys, dataDir, actor: commandLineActor("purge") },
    {
      settings: readRetentionSettings({}),
      authority: "End of the epidemic",
      epidemicEndedDate: "2024-06-01",
    },
  );
}

describe("purge at the end of the epidemic", () => {
  const folder = new TemporaryFolder();
  let dataDir: string;
  let store: Store;
  let keys: FieldKeys;
  let certificates: DestructionCertificate[];

  beforeAll(async () => {
    await folder.create();
    dataDir = path.join(folder.path, "store");
    store = await openStore({ dataDir });
    keys = openFieldKeys(dataDir, {});
    const file = path.join(folder.path, "cells.csv");
    await writeFile(file, FILE_TEXT);
    await importProviderFiles(store, [file], { kind: "base-station", keys });
    fs.rmSync(file);

    certificates = await runEpidemicEnd(store, keys, dataDir);
  });

  afterAll(async () => {
    keys.close();
    await store.close();
    await folder.remove();
  });

  it("destroys persons imported without a case", () => {
    expect(certificates).toHaveLength(1);
    expect(certificates[0]?.scope).toBe("persons_without_case");
    expect(certificates[0]?.destroyed.persons).toBe(1);
    expect(certificates[0]?.destroyed.locationRecords).toBe(2);
    expect(certificates[0]?.destroyed.dataKeys).toBe(1);
  });

  it("leaves no location record", async () => {
    const stored = await store.db
      .selectFrom("location_records_all")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(0);
  });

  it("leaves the phone number in no file", () => {
    const needles = [PHONE, PHONE.replaceAll("-", "")];
    const found = filesUnder(dataDir).flatMap((file) => {
      const bytes = fs.readFileSync(file);
      return needles.filter((needle) => bytes.includes(needle));
    });
    expect(found).toEqual([]);
  });

  it("records the certificate in the audit log", async () => {
    const events = await store.db
      .selectFrom("audit_events")
      .select("action")
      .where("action", "=", "retention.purge")
      .execute();
    expect(events).toHaveLength(1);
  });
});

describe("purge of a person with several cards", () => {
  const folder = new TemporaryFolder();
  const cards = ["9430-1234-5678-9012", "5310-9999-8888-7777"];
  let store: Store;
  let keys: FieldKeys;

  beforeAll(async () => {
    await folder.create();
    const dataDir = path.join(folder.path, "store");
    store = await openStore({ dataDir });
    keys = openFieldKeys(dataDir, {});
    const file = path.join(folder.path, "cards.csv");
    await writeFile(
      file,
      "card_number,paid_at,merchant_name,latitude,longitude\n" +
        `${cards[0]},2024-03-05T12:10:00+09:00,명동칼국수,37.5625,126.9856\n` +
        `${cards[1]},2024-03-05T13:10:00+09:00,GS25,37.5625,126.9856\n`,
    );
    await importProviderFiles(store, [file], {
      kind: "card",
      subject: "P-1",
      keys,
    });
    expect(
      await store.db.selectFrom("person_card_numbers").select("id").execute(),
    ).toHaveLength(1);

    await runEpidemicEnd(store, keys, dataDir);
  });

  afterAll(async () => {
    keys.close();
    await store.close();
    await folder.remove();
  });

  it("destroys every card number", async () => {
    const further = await store.db
      .selectFrom("person_card_numbers")
      .select("id")
      .execute();
    expect(further).toEqual([]);
    for (const card of cards) {
      expect(await findPersonsByCardNumber(store.db, keys, card)).toEqual([]);
    }
  });
});
