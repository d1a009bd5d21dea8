import type { Transaction } from "kysely";

import {
  auditActorOf,
  type AccessContext,
  type Caller,
} from "../access/index.js";
import type { FieldKeys } from "../privacy/index.js";
import type { Database } from "../store/index.js";
import type { TransitionActor, Step } from "./ledger.js";
import type { RequestSettings } from "./settings.js";

/** Dependencies of the use cases of signed-in users. */
export interface RequestContext extends AccessContext {
  settings: RequestSettings;
  /** The keys that encrypt and decrypt the request identifiers. */
  keys: FieldKeys;
}

/** Returns the transition actor of a signed-in user. */
export function userActorOf(caller: Caller): TransitionActor {
  return {
    userId: caller.user.id,
    name: caller.user.username,
    organisationId: caller.organisation.id,
  };
}

/** Returns the step of a signed-in user's call inside its transaction. */
export function userStep(
  context: RequestContext,
  trx: Transaction<Database>,
  now: number,
): Step {
  return {
    trx,
    settings: context.settings,
    now,
    audit: auditActorOf(context.caller),
    actor: userActorOf(context.caller),
  };
}
