import { permissionsOf } from "../../access/index.js";
import {
  requiresSecondFactor,
  type SessionStage,
} from "../../accounts/index.js";
import type { Organisation, User } from "../../store/index.js";

/** Shapes an organisation for the API. */
export function presentOrganisation(organisation: Organisation) {
  return {
    id: organisation.id,
    name: organisation.name,
    kind: organisation.kind,
    jurisdictionCode: organisation.jurisdiction_code,
    allowedNetworks: JSON.parse(organisation.allowed_networks) as string[],
  };
}

/** Shapes the signed-in user, with what they may do, for the API. */
export function presentMe(user: User, organisation: Organisation) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    organisation: presentOrganisation(organisation),
    passwordMustChange: user.password_must_change === 1,
    secondFactorRequired: requiresSecondFactor(user.role, organisation.kind),
    secondFactorEnrolled: user.totp_enabled_at !== null,
    permissions: permissionsOf(user.role, organisation.kind),
  };
}

/**
 * Shapes the state of a session: its stage, and the signed-in user unless
 * the session is half-open and so may learn nothing yet.
 */
export function presentSession(
  stage: SessionStage,
  user: User,
  organisation: Organisation,
) {
  if (stage === "second_factor" || stage === "enrolment") {
    return { stage };
  }
  return { stage, user: presentMe(user, organisation) };
}

/** Shapes an account for the administrators' list. */
export function presentUser(user: User, organisation: Organisation) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    organisation: { id: organisation.id, name: organisation.name },
    disabled: user.disabled_at !== null,
    locked: user.locked_at !== null,
    secondFactorEnrolled: user.totp_enabled_at !== null,
  };
}
