import type { DataKind, OrganisationKind } from "../store/index.js";

export const DATA_KINDS = [
  "base_station",
  "card",
  "checkin",
  "gps",
] as const satisfies readonly DataKind[];

/**
 * Articles of the Infectious Disease Control and Prevention Act that a data
 * request can rely on. Under art. 76-2(1) health authorities request
 * personal data from its holders themselves. Under art. 76-2(2) they
 * request location data through the police, who pass it to the operators.
 */
export const LEGAL_BASES = ["76-2(1)", "76-2(2)"] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export type IdentifierKind = "phone_number" | "card_holder";

/** Rule for requesting a kind of data: by which identifier, from whom, under which article. */
interface DataKindRule {
  identifier: IdentifierKind;
  /** The kind of organisation a request for this data goes to. */
  providerKind: OrganisationKind;
  legalBasis: LegalBasis;
}

// NOTE: check-ins are addressed to the telecom operators, which carry the
// phone check-ins, because QR entry logs have no provider organisation kind.
const RULES: Record<DataKind, DataKindRule> = {
  base_station: {
    identifier: "phone_number",
    providerKind: "telecom_operator",
    legalBasis: "76-2(2)",
  },
  gps: {
    identifier: "phone_number",
    providerKind: "telecom_operator",
    legalBasis: "76-2(2)",
  },
  checkin: {
    identifier: "phone_number",
    providerKind: "telecom_operator",
    legalBasis: "76-2(1)",
  },
  card: {
    identifier: "card_holder",
    providerKind: "card_association",
    legalBasis: "76-2(1)",
  },
};

export function isDataKind(value: string): value is DataKind {
  return (DATA_KINDS as readonly string[]).includes(value);
}

export function isLegalBasis(value: string): value is LegalBasis {
  return (LEGAL_BASES as readonly string[]).includes(value);
}

/** Returns the article a request for this kind of data relies on. */
export function legalBasisOf(kind: DataKind): LegalBasis {
  return RULES[kind].legalBasis;
}

/** Returns the identifier a provider looks this kind of data up by. */
export function identifierOf(kind: DataKind): IdentifierKind {
  return RULES[kind].identifier;
}

/** Returns the kind of organisation that a request for this data goes to. */
export function providerKindOf(kind: DataKind): OrganisationKind {
  return RULES[kind].providerKind;
}

/** Tells whether requests under the article need the approval of the police. */
export function needsPoliceApproval(legalBasis: LegalBasis): boolean {
  return legalBasis === "76-2(2)";
}

/**
 * Returns the data kinds of a request that a provider of the given kind
 * answers. A card company answers what the card association forwards,
 * which is card data.
 */
export function kindsAnsweredBy(
  providerKind: OrganisationKind,
  requested: readonly DataKind[],
): DataKind[] {
  const addressedKind =
    providerKind === "card_company" ? "card_association" : providerKind;
  return requested.filter((kind) => providerKindOf(kind) === addressedKind);
}
