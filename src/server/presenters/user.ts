import { permissionsOf } from "../../access/index.js";
import type { Organisation, User } from "../../store/index.js";

/** Shapes an organisation for the API. */
export function presentOrganisation(organisation: Organisation) {
  return {
    id: organisation.id,
    name: organisation.name,
    kind: organisation.kind,
    jurisdictionCode: organisation.jurisdiction_code,
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
    permissions: permissionsOf(user.role, organisation.kind),
  };
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
  };
}
