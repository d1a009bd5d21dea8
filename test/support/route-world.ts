import {
  createOrganisation,
  ensureProvinceHealthOffice,
} from "../../src/accounts/organisations.js";
import { seoulDateOf } from "../../src/domain/index.js";
import type { RunningSystem } from "../../src/server/index.js";
import type { Organisation } from "../../src/store/index.js";
import { createAccount, signIn, type ApiClient } from "./system.js";

const DAY_MS = 86_400_000;

/** Prefix of every case number of the seeded Seoul cases. */
const CASE_NUMBER_PREFIX = "PERM-SEOUL-";
const PERSON_NAME = "비밀환자";
const PLACE_NAME = "비밀약국";
const PHONE_DIGITS = "01055501234";
const PHONE_WRITTEN = "010-5550-1234";

/** The kinds of personal data the seeded Seoul records contain. */
export type PersonalDataKind =
  "name" | "place" | "caseNumber" | "phoneNumber" | "date";

/**
 * Records of the Seoul health office that the route tests call every
 * route on, and the accounts that created them. Every id names a record
 * of someone else for the callers under test, except the Seoul office's
 * own investigator.
 */
export interface RouteWorld {
  seoulOffice: Organisation;
  /** Investigator of the Seoul office, who registered the records. */
  owner: ApiClient;
  ownerUsername: string;
  /** Administrator of the system operator, for the records only administrators create. */
  admin: ApiClient;
  caseId: string;
  personId: string;
  /** The person of another Seoul case, to record as a contact of the case. */
  contactPersonId: string;
  /** A location data request on the case, awaiting police approval. */
  requestId: string;
  /** An account of the Seoul office that administrators act on. */
  targetUserId: string;
  telecomOperatorId: string;
  /**
   * Strings of the Seoul records, by kind, that a caller outside their
   * reach must not receive. The first string of each kind is the stored
   * form, and any others are other spellings of it.
   */
  personalData: Readonly<Record<PersonalDataKind, readonly string[]>>;
  /** Returns a name no earlier call returned, for usernames and case numbers. */
  unique(prefix: string): string;
  /** Registers another Seoul case with the same personal data and returns its id. */
  newCase(): Promise<string>;
  /** Returns the body of a location data request on the seeded case. */
  requestBody(): Record<string, unknown>;
  /** Creates a draft location data request on the seeded case and returns its id. */
  newDraftRequest(): Promise<string>;
  /** Creates and submits a location data request, which then awaits police approval. */
  newSubmittedRequest(): Promise<string>;
  /** Creates an API key of the telecom operator and returns its id. */
  newProviderKey(): Promise<string>;
}

/**
 * Seeds the Seoul office with a case (a person, dates and a visit), a
 * location data request awaiting police approval and a second account,
 * plus a telecom operator and an administrator.
 */
export async function seedRouteWorld(
  system: RunningSystem,
): Promise<RouteWorld> {
  const { db } = system.store;
  const seoulOffice = await ensureProvinceHealthOffice(db, "11");
  const operator = await createOrganisation(db, {
    name: "Route test operations",
    kind: "system_operator",
  });
  const telecom = await createOrganisation(db, {
    name: "Route test telecom",
    kind: "telecom_operator",
  });

  const ownerUsername = "route.owner";
  await createAccount(system, {
    organisationId: seoulOffice.id,
    username: ownerUsername,
    role: "investigator",
  });
  const target = await createAccount(system, {
    organisationId: seoulOffice.id,
    username: "route.target",
    role: "investigator",
  });
  await createAccount(system, {
    organisationId: operator.id,
    username: "route.admin",
    role: "administrator",
  });
  const owner = await signIn(system, ownerUsername);
  const admin = await signIn(system, "route.admin");

  const now = Date.now();
  const onsetDate = seoulDateOf(now - 3 * DAY_MS);
  const confirmedDate = seoulDateOf(now - 2 * DAY_MS);
  let counter = 0;
  const unique = (prefix: string) => `${prefix}${++counter}`;

  const newCase = async () => {
    const body = await expectJson(
      owner.request("POST", "/api/cases", {
        caseNumber: unique(CASE_NUMBER_PREFIX),
        person: { name: PERSON_NAME, birthYear: 1961 },
        symptomOnsetDate: onsetDate,
        confirmedDate,
      }),
      201,
      "case registration",
    );
    return (body as { id: string }).id;
  };
  const requestBody = () => ({
    caseId,
    dataKinds: ["base_station"],
    phoneNumber: PHONE_WRITTEN,
    windowStartDate: onsetDate,
    windowEndDate: seoulDateOf(now),
    purpose: "Trace the places the case visited while infectious.",
    legalBasis: "76-2(2)",
  });
  const newDraftRequest = async () => {
    const body = await expectJson(
      owner.request("POST", "/api/requests", requestBody()),
      201,
      "data request creation",
    );
    return (body as { id: string }).id;
  };
  const newSubmittedRequest = async () => {
    const id = await newDraftRequest();
    await expectJson(
      owner.request("POST", `/api/requests/${id}/submit`),
      200,
      "data request submission",
    );
    return id;
  };
  const newProviderKey = async () => {
    const body = await expectJson(
      admin.request("POST", "/api/provider-keys", {
        organisationId: telecom.id,
        name: unique("route key "),
      }),
      201,
      "provider key creation",
    );
    return (body as { key: { id: string } }).key.id;
  };

  const caseId = await newCase();
  await expectJson(
    owner.request("POST", `/api/cases/${caseId}/visits`, {
      placeName: PLACE_NAME,
      latitude: 37.5665,
      longitude: 126.978,
      visitDate: confirmedDate,
    }),
    201,
    "visit creation",
  );
  const personOf = async (id: string) => {
    const kase = await db
      .selectFrom("cases")
      .select("person_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return kase.person_id;
  };

  return {
    seoulOffice,
    owner,
    ownerUsername,
    admin,
    caseId,
    personId: await personOf(caseId),
    contactPersonId: await personOf(await newCase()),
    requestId: await newSubmittedRequest(),
    targetUserId: target.id,
    telecomOperatorId: telecom.id,
    personalData: {
      name: [PERSON_NAME],
      place: [PLACE_NAME],
      caseNumber: [CASE_NUMBER_PREFIX],
      phoneNumber: [PHONE_DIGITS, PHONE_WRITTEN],
      date: [onsetDate, confirmedDate],
    },
    unique,
    requestBody,
    newCase,
    newDraftRequest,
    newSubmittedRequest,
    newProviderKey,
  };
}

/**
 * Returns the seeded strings of personal data that a response body
 * contains, leaving out the kinds in `allowed`.
 */
export function personalDataIn(
  world: RouteWorld,
  body: string,
  allowed: readonly PersonalDataKind[] = [],
): string[] {
  return Object.entries(world.personalData)
    .filter(([kind]) => !allowed.includes(kind as PersonalDataKind))
    .flatMap(([, values]) => values.filter((value) => body.includes(value)));
}

async function expectJson(
  pending: Promise<Response>,
  status: number,
  step: string,
): Promise<unknown> {
  const response = await pending;
  if (response.status !== status) {
    throw new Error(
      `Seeding the route test world failed: ${step} returned ${response.status}, expected ${status}: ${await response.text()}`,
    );
  }
  return response.json();
}
