import os from "node:os";

import type { Kysely } from "kysely";

import type { AuditActor } from "../audit/index.js";
import type { Database, Organisation, User } from "../store/index.js";
import type { AccessContext } from "./guard.js";

/**
 * Builds the access context of an analysis command run on the server host,
 * such as `epitrace route --case ID`. Its operator can read the store's
 * files already, so the command acts as an investigator of the national
 * agency and reads every case. Every audit event names the command and the operating
 * system user as the actor, and carries `reason` as its purpose.
 */
export function commandLineAccess(
  db: Kysely<Database>,
  command: string,
  reason: string,
): AccessContext {
  const username = `cli:${command} (${operatingSystemUser()})`;
  const organisation: Organisation = {
    id: "command-line",
    name: "Command line on the server host",
    kind: "national_agency",
    jurisdiction_code: null,
    allowed_networks: "[]",
    created_at: 0,
  };
  const user: User = {
    id: "command-line",
    organisation_id: organisation.id,
    username,
    display_name: username,
    role: "investigator",
    password_hash: "",
    password_must_change: 0,
    disabled_at: null,
    created_at: 0,
    last_login_at: null,
    failed_login_count: 0,
    locked_at: null,
    totp_secret: null,
    totp_enabled_at: null,
    totp_last_used_step: null,
  };
  const actor: AuditActor = {
    userId: null,
    username,
    role: null,
    organisationId: null,
    sourceAddress: null,
  };
  return {
    db,
    caller: { user, organisation, sourceAddress: null },
    actor,
    purpose: reason,
  };
}

/** Returns the name of the operating system user running the process, or "unknown user". */
function operatingSystemUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env["USER"] ?? "unknown user";
  }
}
