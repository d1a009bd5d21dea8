import type { Kysely, Transaction } from "kysely";

import { notFound } from "../errors.js";
import type {
  DataKind,
  DataRequest,
  DataRequestPart,
  Database,
} from "../store/index.js";

/** The store or an open transaction on it. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/** Returns the data kinds a request or part stores as JSON. */
export function dataKindsOf(row: Pick<DataRequest, "data_kinds">): DataKind[] {
  return JSON.parse(row.data_kinds) as DataKind[];
}

/** Returns the ids of the organisations a request goes to. */
export function providerIdsOf(request: DataRequest): string[] {
  return JSON.parse(request.provider_organisation_ids) as string[];
}

/** Loads a request, raising `not_found` when it does not exist. */
export async function loadRequest(
  db: Queryable,
  requestId: string,
): Promise<DataRequest> {
  const request = await db
    .selectFrom("data_requests")
    .selectAll()
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (request === undefined) {
    throw notFound("Data request");
  }
  return request;
}

/** Loads the parts of a request in the order they were created. */
export function loadParts(
  db: Queryable,
  requestId: string,
): Promise<DataRequestPart[]> {
  return db
    .selectFrom("data_request_parts")
    .selectAll()
    .where("request_id", "=", requestId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}
