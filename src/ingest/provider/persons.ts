import { createHmac, randomUUID } from "node:crypto";

import type { Kysely } from "kysely";

import {
  lookupHashOf,
  sealCardNumberRow,
  sealPersonIdentifiers,
  type FieldKeys,
} from "../../privacy/index.js";
import type { Database } from "../../store/index.js";
import { identifierKindOf, maskLongNumber } from "./subjects.js";

/** Value of `persons.source` for persons that provider imports create. */
export const PROVIDER_SOURCE = "provider";

/** Prefix of the `source_ref` of a provider person: a keyed hash of its subject. */
const SOURCE_REF_PREFIX = "subject-hmac:";

/** Subjects looked up per query, under SQLite's limit of bound parameters. */
const LOOKUP_BATCH = 500;

export interface PersonContext {
  keys: FieldKeys;
  /** Id of the data key that encrypts the new persons' phone and card numbers. */
  keyId: string;
  now: number;
}

/** The person of each subject, by subject index, and how many were created. */
export interface ResolvedPersons {
  personIds: string[];
  created: number;
}

/**
 * Returns the `source_ref` of the provider person of a subject: an
 * HMAC-SHA256 under the lookup key, so that the person is found again
 * without the subject, which may be a phone number, being stored in clear.
 */
export function providerSourceRef(keys: FieldKeys, subject: string): string {
  const hash = createHmac("sha256", keys.lookupKey)
    .update(`provider-subject:${subject}`)
    .digest("hex");
  return `${SOURCE_REF_PREFIX}${hash}`;
}

/**
 * Finds the provider person of each subject (in comparable form), and
 * creates the missing ones. A subject that is a phone or card number is
 * stored encrypted in the person's `phone_number` or `card_number`, with
 * its keyed hash; the label shows only its last 4 digits.
 */
export async function resolveProviderPersons(
  db: Kysely<Database>,
  subjects: readonly string[],
  context: PersonContext,
): Promise<ResolvedPersons> {
  const refs = subjects.map((subject) =>
    providerSourceRef(context.keys, subject),
  );
  const existing = await findExisting(db, refs);
  const personIds: string[] = [];
  const rows = [];
  for (const [index, subject] of subjects.entries()) {
    const found = existing.get(refs[index]!);
    if (found !== undefined) {
      personIds.push(found);
      continue;
    }
    const personId = randomUUID();
    personIds.push(personId);
    rows.push(newPersonRow(personId, subject, refs[index]!, context));
  }

  for (let start = 0; start < rows.length; start += LOOKUP_BATCH) {
    await db
      .insertInto("persons")
      .values(rows.slice(start, start + LOOKUP_BATCH))
      .execute();
  }
  return { personIds, created: rows.length };
}

async function findExisting(
  db: Kysely<Database>,
  refs: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let start = 0; start < refs.length; start += LOOKUP_BATCH) {
    const rows = await db
      .selectFrom("persons")
      .select(["id", "source_ref"])
      .where("source", "=", PROVIDER_SOURCE)
      .where("source_ref", "in", refs.slice(start, start + LOOKUP_BATCH))
      .execute();
    for (const row of rows) {
      found.set(row.source_ref, row.id);
    }
  }
  return found;
}

function newPersonRow(
  personId: string,
  subject: string,
  sourceRef: string,
  context: PersonContext,
) {
  const identifierKind = identifierKindOf(subject);
  const sealed =
    identifierKind === "other"
      ? undefined
      : sealPersonIdentifiers(context.keys, context.keyId, personId, {
          name: null,
          phoneNumber: identifierKind === "phone" ? subject : null,
          cardNumber: identifierKind === "card" ? subject : null,
        });
  return {
    id: personId,
    label: `Provider ${maskLongNumber(subject)}`,
    name: null,
    phone_number: sealed?.phone_number ?? null,
    phone_number_hash: sealed?.phone_number_hash ?? null,
    card_number: sealed?.card_number ?? null,
    card_number_hash: sealed?.card_number_hash ?? null,
    key_case_id: sealed?.key_case_id ?? null,
    sex: null,
    birth_year: null,
    country: null,
    home_province: null,
    home_city: null,
    source: PROVIDER_SOURCE,
    source_ref: sourceRef,
    created_at: context.now,
  };
}

/**
 * Seals on each person the unmasked card numbers of its card records,
 * under the person's data key or, for a person without one,
 * `context.keyId`. The first card number of a person goes into
 * `persons.card_number`, and each further distinct one into a row of
 * `person_card_numbers`, so each number is stored once, and the records
 * keep only `cardLast4`. Numbers are compared by their keyed hash.
 */
export async function sealCardNumbers(
  db: Kysely<Database>,
  cardNumbers: ReadonlyMap<string, ReadonlySet<string>>,
  context: Omit<PersonContext, "now">,
): Promise<void> {
  const now = Date.now();
  for (const [personId, numbers] of cardNumbers) {
    const person = await db
      .selectFrom("persons")
      .select(["card_number", "card_number_hash", "key_case_id"])
      .where("id", "=", personId)
      .executeTakeFirstOrThrow();
    const keyId = person.key_case_id ?? context.keyId;
    const stored = await storedCardHashes(db, personId, person);
    let hasFirst = person.card_number !== null;
    for (const cardNumber of numbers) {
      const hash = lookupHashOf(context.keys, "card", cardNumber);
      if (hash === null || stored.has(hash)) {
        continue;
      }
      stored.add(hash);
      if (!hasFirst) {
        await sealFirstCardNumber(db, personId, cardNumber, keyId, context);
        hasFirst = true;
        continue;
      }
      const id = randomUUID();
      await db
        .insertInto("person_card_numbers")
        .values({
          id,
          person_id: personId,
          ...sealCardNumberRow(context.keys, keyId, id, cardNumber),
          created_at: now,
        })
        .execute();
    }
  }
}

/** Returns the keyed hashes of the card numbers a person already has. */
async function storedCardHashes(
  db: Kysely<Database>,
  personId: string,
  person: { card_number_hash: string | null },
): Promise<Set<string>> {
  const rows = await db
    .selectFrom("person_card_numbers")
    .select("card_number_hash")
    .where("person_id", "=", personId)
    .execute();
  const hashes = new Set<string>();
  for (const hash of [
    person.card_number_hash,
    ...rows.map((row) => row.card_number_hash),
  ]) {
    if (hash !== null) {
      hashes.add(hash);
    }
  }
  return hashes;
}

async function sealFirstCardNumber(
  db: Kysely<Database>,
  personId: string,
  cardNumber: string,
  keyId: string,
  context: Omit<PersonContext, "now">,
): Promise<void> {
  const sealed = sealPersonIdentifiers(context.keys, keyId, personId, {
    name: null,
    phoneNumber: null,
    cardNumber,
  });
  await db
    .updateTable("persons")
    .set({
      card_number: sealed.card_number,
      card_number_hash: sealed.card_number_hash,
      key_case_id: keyId,
    })
    .where("id", "=", personId)
    .execute();
}
