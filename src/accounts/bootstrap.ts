import type { Kysely } from "kysely";

import type { Database } from "../store/index.js";
import { createOrganisation } from "./organisations.js";
import { createUser } from "./users.js";

/** Username of the administrator created on first start. */
export const BOOTSTRAP_USERNAME = "admin";

/** Name of the organisation that runs the system and holds its administrators. */
export const OPERATOR_ORGANISATION_NAME = "epitrace operations";

export interface BootstrapResult {
  username: string;
  oneTimePassword: string;
}

/**
 * Creates the first administrator when the store has no account yet and
 * returns its one-time password; returns null when accounts exist. The
 * caller shows the password once on the terminal and logs nothing of it.
 */
export async function bootstrapAdministrator(
  db: Kysely<Database>,
): Promise<BootstrapResult | null> {
  return db.transaction().execute(async (trx) => {
    const anyUser = await trx
      .selectFrom("users")
      .select("id")
      .limit(1)
      .executeTakeFirst();
    if (anyUser !== undefined) {
      return null;
    }

    const operator = await createOrganisation(trx, {
      name: OPERATOR_ORGANISATION_NAME,
      kind: "system_operator",
    });
    const { oneTimePassword } = await createUser(trx, {
      username: BOOTSTRAP_USERNAME,
      displayName: "Administrator",
      role: "administrator",
      organisationId: operator.id,
    });
    return { username: BOOTSTRAP_USERNAME, oneTimePassword };
  });
}
