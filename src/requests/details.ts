import type {
  DataRequest,
  DataRequestPart,
  DataRequestTransition,
  DataRequestUpload,
  OrganisationKind,
} from "../store/index.js";
import { openRequestRow, type FieldKeys } from "../privacy/index.js";
import { loadParts, providerIdsOf, type Queryable } from "./rows.js";

/** An organisation as a request names it. */
export interface OrganisationRef {
  id: string;
  name: string;
  kind: OrganisationKind;
}

export interface PartDetails {
  part: DataRequestPart;
  provider: OrganisationRef;
}

/** A request with everything an investigator is shown of it. */
export interface DataRequestDetails {
  /** The request with its identifiers decrypted. */
  request: DataRequest;
  caseNumber: string;
  organisation: OrganisationRef;
  requestedBy: { id: string; displayName: string };
  /** The organisations the request goes to, as chosen when it was created. */
  providers: OrganisationRef[];
  parts: PartDetails[];
  transitions: DataRequestTransition[];
  uploads: DataRequestUpload[];
}

/**
 * Loads the case number, organisations, parts, transitions and uploads of
 * a request, and decrypts its identifiers.
 */
export async function loadRequestDetails(
  db: Queryable,
  keys: FieldKeys,
  stored: DataRequest,
): Promise<DataRequestDetails> {
  const request = openRequestRow(keys, stored);
  const kase = await db
    .selectFrom("cases")
    .select("case_number")
    .where("id", "=", request.case_id)
    .executeTakeFirstOrThrow();
  const requestedBy = await db
    .selectFrom("users")
    .select(["id", "display_name"])
    .where("id", "=", request.requested_by_user_id)
    .executeTakeFirstOrThrow();
  const parts = await loadParts(db, request.id);
  const organisations = await loadOrganisations(db, [
    request.organisation_id,
    ...providerIdsOf(request),
    ...parts.map((part) => part.provider_organisation_id),
  ]);
  const transitions = await db
    .selectFrom("data_request_transitions")
    .selectAll()
    .where("request_id", "=", request.id)
    .orderBy("id")
    .execute();
  const uploads = await db
    .selectFrom("data_request_uploads")
    .selectAll()
    .where("request_id", "=", request.id)
    .orderBy("received_at")
    .orderBy("id")
    .execute();

  const organisationOf = (id: string): OrganisationRef => {
    const organisation = organisations.get(id);
    if (organisation === undefined) {
      throw new Error(
        `Organisation ${id} named by data request ${request.id} is missing from the store.`,
      );
    }
    return organisation;
  };
  return {
    request,
    caseNumber: kase.case_number,
    organisation: organisationOf(request.organisation_id),
    requestedBy: { id: requestedBy.id, displayName: requestedBy.display_name },
    providers: providerIdsOf(request).map(organisationOf),
    parts: parts.map((part) => ({
      part,
      provider: organisationOf(part.provider_organisation_id),
    })),
    transitions,
    uploads,
  };
}

/** Loads organisations by id, as references. */
export async function loadOrganisations(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, OrganisationRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom("organisations")
    .select(["id", "name", "kind"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}
