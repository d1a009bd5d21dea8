import type { OrganisationKind } from "../../store/index.js";

/**
 * The account that acted, as the event stored it, with its organisation's
 * name and kind looked up. Login attempts with an unknown username have the
 * username `(unknown)`, and commands on the server host `cli:<command>`.
 */
export interface AuditAccount {
  userId: string | null;
  username: string | null;
  role: string | null;
  organisation: {
    id: string;
    name: string | null;
    kind: OrganisationKind | null;
  } | null;
}

/** Columns of an audit event that name its actor, with the organisation joined. */
export interface ActorColumns {
  actor_user_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  organisation_kind: OrganisationKind | null;
}

/** Selections of the actor columns, for queries joined to `organisations` on the actor's organisation. */
export const ACTOR_SELECTIONS = [
  "audit_events.actor_user_id",
  "audit_events.actor_username",
  "audit_events.actor_role",
  "audit_events.organisation_id",
  "organisations.name as organisation_name",
  "organisations.kind as organisation_kind",
] as const;

/** The columns of ACTOR_SELECTIONS, for GROUP BY. */
export const ACTOR_GROUPING = [
  "audit_events.actor_user_id",
  "audit_events.actor_username",
  "audit_events.actor_role",
  "audit_events.organisation_id",
  "organisations.name",
  "organisations.kind",
] as const;

/** Returns a key that is equal for the events of one account in one role and organisation. */
export function actorKeyOf(row: ActorColumns): string {
  return JSON.stringify([
    row.actor_user_id,
    row.actor_username,
    row.actor_role,
    row.organisation_id,
  ]);
}

/** Builds the account of an event or of a group of events from its actor columns. */
export function accountOf(row: ActorColumns): AuditAccount {
  return {
    userId: row.actor_user_id,
    username: row.actor_username,
    role: row.actor_role,
    organisation:
      row.organisation_id === null
        ? null
        : {
            id: row.organisation_id,
            name: row.organisation_name,
            kind: row.organisation_kind,
          },
  };
}
