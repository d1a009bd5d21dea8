import { createHash, randomBytes, randomUUID } from "node:crypto";

import type { Kysely } from "kysely";

import {
  auditActorOf,
  authorize,
  type AccessContext,
} from "../access/index.js";
import { appendAuditEvent } from "../audit/index.js";
import { AppError, notFound } from "../errors.js";
import type {
  Database,
  Organisation,
  OrganisationKind,
  ProviderApiKey,
} from "../store/index.js";
import {
  providerAuditActor,
  providerKeyActorName,
  providerKeyCaller,
  type ProviderKeyCaller,
} from "./caller.js";
import { normaliseFingerprint, type ClientCertificate } from "./tls.js";

/** Every key starts with this, so that a leaked key is easy to recognise. */
export const API_KEY_PREFIX = "ept_";

/** Characters of a key kept in the store to tell keys apart: the prefix and 8 more. */
const SHOWN_KEY_LENGTH = API_KEY_PREFIX.length + 8;

export const DEFAULT_KEY_DAYS = 90;
export const MAX_KEY_DAYS = 365;

const DAY_MS = 86_400_000;

/** Organisation kinds that answer data requests, and so may hold provider API keys. */
export const PROVIDER_KINDS: readonly OrganisationKind[] = [
  "telecom_operator",
  "card_association",
  "card_company",
];

export interface NewProviderApiKey {
  organisationId: string;
  /** Purpose of the key, such as "SKT batch server". */
  name: string;
  /** Days until the key expires; default 90, at most 365. */
  expiresInDays?: number;
  /**
   * SHA-256 fingerprint of the client certificate the key must be sent
   * with, which only a server with a provider client CA can check.
   */
  clientCertSha256?: string;
}

/** A key as listed, with its organisation. */
export interface ProviderApiKeyListing {
  key: ProviderApiKey;
  organisation: Organisation;
}

export interface CreatedProviderApiKey extends ProviderApiKeyListing {
  /** The key itself, shown once to the administrator who created it; only its hash is stored. */
  secret: string;
}

/**
 * SHA-256 of a key, hex. A plain hash is enough because a key contains 256
 * random bits, so it cannot be guessed from its hash the way a password can.
 */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Creates an API key for a provider organisation, for administrators. */
export async function createProviderApiKey(
  context: AccessContext,
  input: NewProviderApiKey,
  now: number = Date.now(),
): Promise<CreatedProviderApiKey> {
  authorize(context.caller, "provider_key.manage");
  const days = input.expiresInDays ?? DEFAULT_KEY_DAYS;
  checkKeyInput(input.name, days);
  const organisation = await findKeyHolder(context.db, input.organisationId);

  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const key: ProviderApiKey = {
    id: randomUUID(),
    organisation_id: organisation.id,
    name: input.name.trim(),
    key_prefix: secret.slice(0, SHOWN_KEY_LENGTH),
    key_hash: hashApiKey(secret),
    created_by_user_id: context.caller.user.id,
    created_at: now,
    expires_at: now + days * DAY_MS,
    revoked_at: null,
    revoked_by_user_id: null,
    last_used_at: null,
    client_cert_sha256:
      input.clientCertSha256 === undefined
        ? null
        : normaliseFingerprint(input.clientCertSha256),
  };
  await context.db.insertInto("provider_api_keys").values(key).execute();
  await appendAuditEvent(context.db, {
    actor: auditActorOf(context.caller),
    action: "provider_key.create",
    result: "succeeded",
    detail: {
      keyId: key.id,
      organisationId: organisation.id,
      expiresAt: key.expires_at,
    },
  });
  return { key, organisation, secret };
}

/** Lists the API keys of every provider, or of one organisation, for administrators. */
export function listProviderApiKeys(
  context: AccessContext,
  organisationId?: string,
): Promise<ProviderApiKeyListing[]> {
  authorize(context.caller, "provider_key.manage");
  return selectKeys(context.db, { organisationId });
}

/** Revokes an API key at once, for administrators. Revoking a revoked key changes nothing. */
export async function revokeProviderApiKey(
  context: AccessContext,
  keyId: string,
  now: number = Date.now(),
): Promise<ProviderApiKeyListing> {
  authorize(context.caller, "provider_key.manage");
  const before = await findKey(context, keyId);

  if (before.key.revoked_at === null) {
    await context.db
      .updateTable("provider_api_keys")
      .set({ revoked_at: now, revoked_by_user_id: context.caller.user.id })
      .where("id", "=", keyId)
      .execute();
    await appendAuditEvent(context.db, {
      actor: auditActorOf(context.caller),
      action: "provider_key.revoke",
      result: "succeeded",
      detail: { keyId, organisationId: before.key.organisation_id },
    });
  }
  return findKey(context, keyId);
}

/**
 * Resolves a key sent to the provider API to its caller, and notes its
 * use. Raises `authentication_required` for an unknown key and
 * `invalid_credentials` for a revoked or expired one. The use of a known
 * but dead key is recorded in the audit log.
 */
export async function authenticateProviderKey(
  db: Kysely<Database>,
  secret: string,
  sourceAddress: string | null,
  now: number = Date.now(),
  clientCertificate: ClientCertificate | null = null,
): Promise<ProviderKeyCaller> {
  const key = await db
    .selectFrom("provider_api_keys")
    .selectAll()
    .where("key_hash", "=", hashApiKey(secret))
    .executeTakeFirst();
  if (key === undefined) {
    throw new AppError(
      "authentication_required",
      "Unknown provider API key: send a valid key as `Authorization: Bearer <key>`.",
    );
  }

  const organisation = await db
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", key.organisation_id)
    .executeTakeFirstOrThrow();
  const caller = providerKeyCaller(key, organisation, sourceAddress);

  const problem =
    deadKeyProblem(key, now) ?? certificateProblem(key, clientCertificate);
  if (problem !== null) {
    await appendAuditEvent(db, {
      actor: providerAuditActor(caller),
      action: "provider.authenticate",
      result: "denied",
      detail: { keyId: key.id, reason: problem.reason },
    });
    throw new AppError("invalid_credentials", problem.message);
  }

  await db
    .updateTable("provider_api_keys")
    .set({ last_used_at: now })
    .where("id", "=", key.id)
    .execute();
  return caller;
}

function deadKeyProblem(
  key: ProviderApiKey,
  now: number,
): { reason: string; message: string } | null {
  const name = `${key.key_prefix}… (${providerKeyActorName(key.id)})`;
  if (key.revoked_at !== null) {
    return {
      reason: "revoked",
      message: `Provider API key ${name} was revoked at ${new Date(key.revoked_at).toISOString()}: ask the system operator for a new key.`,
    };
  }
  if (now >= key.expires_at) {
    return {
      reason: "expired",
      message: `Provider API key ${name} expired at ${new Date(key.expires_at).toISOString()}: ask the system operator for a new key.`,
    };
  }
  return null;
}

function certificateProblem(
  key: ProviderApiKey,
  certificate: ClientCertificate | null,
): { reason: string; message: string } | null {
  if (key.client_cert_sha256 === null) {
    return null;
  }
  const name = `${key.key_prefix}… (${providerKeyActorName(key.id)})`;
  if (certificate === null || !certificate.authorized) {
    return {
      reason: "client_certificate_missing",
      message: `Provider API key ${name} is bound to a client certificate: connect over TLS with that certificate, issued by the provider client CA.`,
    };
  }
  if (certificate.sha256 !== key.client_cert_sha256) {
    return {
      reason: "client_certificate_mismatch",
      message: `Provider API key ${name} is bound to another client certificate: send it with the certificate it was issued for, or ask the system operator for a new key.`,
    };
  }
  return null;
}

function checkKeyInput(name: string, days: number): void {
  if (name.trim() === "") {
    throw new AppError("validation_failed", "A key name is required.");
  }
  if (!Number.isInteger(days) || days < 1 || days > MAX_KEY_DAYS) {
    throw new AppError(
      "validation_failed",
      `Invalid expiresInDays ${days}: expected a whole number of days from 1 to ${MAX_KEY_DAYS}.`,
    );
  }
}

async function findKeyHolder(
  db: Kysely<Database>,
  organisationId: string,
): Promise<Organisation> {
  const organisation = await db
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", organisationId)
    .executeTakeFirst();
  if (organisation === undefined) {
    throw notFound("Organisation");
  }
  if (!PROVIDER_KINDS.includes(organisation.kind)) {
    throw new AppError(
      "validation_failed",
      `Organisation ${organisation.id} is a ${organisation.kind}: only a telecom_operator, card_association or card_company can hold provider API keys.`,
    );
  }
  return organisation;
}

async function findKey(
  context: AccessContext,
  keyId: string,
): Promise<ProviderApiKeyListing> {
  const [listing] = await selectKeys(context.db, { keyId });
  if (listing === undefined) {
    throw notFound("Provider API key");
  }
  return listing;
}

async function selectKeys(
  db: Kysely<Database>,
  filter: { organisationId?: string | undefined; keyId?: string },
): Promise<ProviderApiKeyListing[]> {
  let query = db
    .selectFrom("provider_api_keys")
    .innerJoin(
      "organisations",
      "organisations.id",
      "provider_api_keys.organisation_id",
    )
    .selectAll("provider_api_keys")
    .select([
      "organisations.name as organisation_name",
      "organisations.kind as organisation_kind",
      "organisations.jurisdiction_code as organisation_jurisdiction_code",
      "organisations.created_at as organisation_created_at",
      "organisations.allowed_networks as organisation_allowed_networks",
    ])
    .orderBy("provider_api_keys.created_at", "desc");
  if (filter.organisationId !== undefined) {
    query = query.where(
      "provider_api_keys.organisation_id",
      "=",
      filter.organisationId,
    );
  }
  if (filter.keyId !== undefined) {
    query = query.where("provider_api_keys.id", "=", filter.keyId);
  }

  const rows = await query.execute();
  return rows.map(
    ({
      organisation_name,
      organisation_kind,
      organisation_jurisdiction_code,
      organisation_created_at,
      organisation_allowed_networks,
      ...key
    }) => ({
      key,
      organisation: {
        id: key.organisation_id,
        name: organisation_name,
        kind: organisation_kind,
        jurisdiction_code: organisation_jurisdiction_code,
        created_at: organisation_created_at,
        allowed_networks: organisation_allowed_networks,
      },
    }),
  );
}
