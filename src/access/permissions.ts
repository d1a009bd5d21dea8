import type { OrganisationKind, Role } from "../store/index.js";

/** Everything a user can be allowed to do. Anything not granted is denied. */
export const ACTIONS = [
  "case.search",
  "case.view",
  "case.export",
  "case.create",
  "case.update",
  "movement.view",
  "visit.create",
  "upload.create",
  "area.view",
  "user.manage",
  "organisation.manage",
  "request.create",
  "request.view",
  "request.submit",
  "request.withdraw",
  "request.review_upload",
  "request.approve",
  "provider.pull",
  "provider.answer",
  "provider.forward",
  "provider.decline",
  "provider_key.manage",
  "audit.search",
  "audit.review",
  "contact.view",
  "contact.decide",
  "exposure.query",
  "hotspot.view",
  "link.view",
] as const;

export type Action = (typeof ACTIONS)[number];

/** Actions that read or write personal data; each call is audited with its result. */
export const PERSONAL_DATA_ACTIONS: ReadonlySet<Action> = new Set([
  "case.search",
  "case.view",
  "case.export",
  "case.create",
  "case.update",
  "movement.view",
  "visit.create",
  "upload.create",
  "request.create",
  "request.view",
  "request.submit",
  "request.withdraw",
  "request.review_upload",
  "request.approve",
  "provider.pull",
  "provider.answer",
  "provider.forward",
  "provider.decline",
  "contact.view",
  "contact.decide",
  "exposure.query",
  "link.view",
]);

interface Grant {
  role: Role;
  kinds: readonly OrganisationKind[];
  actions: readonly Action[];
}

const INVESTIGATING_KINDS: readonly OrganisationKind[] = [
  "national_agency",
  "health_office",
];

/**
 * The permission table: a role at an organisation of one of the kinds is
 * granted the actions. A role at any other kind of organisation is granted
 * nothing.
 */
const GRANTS: readonly Grant[] = [
  {
    role: "investigator",
    kinds: INVESTIGATING_KINDS,
    actions: [
      "case.search",
      "case.view",
      "case.create",
      "case.update",
      "movement.view",
      "visit.create",
      "area.view",
    ],
  },
  {
    role: "administrator",
    kinds: ["system_operator"],
    actions: ["user.manage", "organisation.manage", "area.view"],
  },
  { role: "police_approver", kinds: ["police"], actions: ["area.view"] },
  { role: "auditor", kinds: ["audit_office"], actions: ["area.view"] },
  {
    role: "investigator",
    kinds: INVESTIGATING_KINDS,
    actions: [
      "request.create",
      "request.view",
      "request.submit",
      "request.withdraw",
      "request.review_upload",
    ],
  },
  { role: "police_approver", kinds: ["police"], actions: ["request.approve"] },
  {
    role: "provider",
    kinds: ["telecom_operator", "card_company"],
    actions: ["provider.pull", "provider.answer", "provider.decline"],
  },
  {
    role: "provider",
    kinds: ["card_association"],
    actions: ["provider.pull", "provider.forward", "provider.decline"],
  },
  {
    role: "administrator",
    kinds: ["system_operator"],
    actions: ["provider_key.manage"],
  },
  {
    role: "auditor",
    kinds: ["audit_office"],
    actions: ["audit.search", "audit.review"],
  },
  {
    role: "investigator",
    kinds: INVESTIGATING_KINDS,
    actions: [
      "contact.view",
      "contact.decide",
      "exposure.query",
      "hotspot.view",
      "link.view",
    ],
  },
  // Importing provider files for a case is granted apart from visit.create,
  // so that bulk imports can be granted and reviewed on their own.
  {
    role: "investigator",
    kinds: INVESTIGATING_KINDS,
    actions: ["upload.create"],
  },
  // Taking a copy out of the system is a right of its own, not implied by
  // case.view, so that it can be granted and reviewed apart.
  {
    role: "investigator",
    kinds: INVESTIGATING_KINDS,
    actions: ["case.export"],
  },
];

/** Lists the actions granted to a role at a kind of organisation. */
export function permissionsOf(role: Role, kind: OrganisationKind): Action[] {
  const granted = new Set<Action>();
  for (const grant of GRANTS) {
    if (grant.role === role && grant.kinds.includes(kind)) {
      grant.actions.forEach((action) => granted.add(action));
    }
  }
  return ACTIONS.filter((action) => granted.has(action));
}

/** Tells whether a role at a kind of organisation is granted an action. */
export function isPermitted(
  role: Role,
  kind: OrganisationKind,
  action: Action,
): boolean {
  return permissionsOf(role, kind).includes(action);
}
