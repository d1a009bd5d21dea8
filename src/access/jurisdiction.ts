import type { Case, Organisation } from "../store/index.js";

/**
 * Tells whether an organisation's investigators may see a case: the
 * national agency sees every case, a health office the cases it registered.
 */
export function coversCase(
  organisation: Organisation,
  kase: Pick<Case, "organisation_id">,
): boolean {
  if (organisation.kind === "national_agency") {
    return true;
  }
  return (
    organisation.kind === "health_office" &&
    kase.organisation_id === organisation.id
  );
}
