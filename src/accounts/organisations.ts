import { randomUUID } from "node:crypto";

import type { Kysely } from "kysely";

import { findProvince } from "../domain/provinces.js";
import type {
  Database,
  Organisation,
  OrganisationKind,
} from "../store/index.js";

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  jurisdictionCode?: string | null;
}

/** Inserts an organisation and returns it. */
export async function createOrganisation(
  db: Kysely<Database>,
  input: NewOrganisation,
  now: number = Date.now(),
): Promise<Organisation> {
  const organisation: Organisation = {
    id: randomUUID(),
    name: input.name,
    kind: input.kind,
    jurisdiction_code: input.jurisdictionCode ?? null,
    allowed_networks: "[]",
    created_at: now,
  };
  await db.insertInto("organisations").values(organisation).execute();
  return organisation;
}

/** Name of the province-level health office that epitrace sets up itself. */
export function provinceHealthOfficeName(provinceCode: string): string {
  const province = findProvince(provinceCode);
  if (province === undefined) {
    throw new Error(`Unknown province code ${JSON.stringify(provinceCode)}.`);
  }
  return `${province.english} health office`;
}

/**
 * Returns the health office whose jurisdiction is the province, creating it
 * on first use. Imports of disclosed cases register each case there.
 */
export async function ensureProvinceHealthOffice(
  db: Kysely<Database>,
  provinceCode: string,
): Promise<Organisation> {
  const name = provinceHealthOfficeName(provinceCode);
  const existing = await db
    .selectFrom("organisations")
    .selectAll()
    .where("name", "=", name)
    .executeTakeFirst();
  if (existing !== undefined) {
    return existing;
  }

  return createOrganisation(db, {
    name,
    kind: "health_office",
    jurisdictionCode: provinceCode,
  });
}
