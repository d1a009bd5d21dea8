import { createOrganisation } from "../../src/accounts/organisations.js";
import { seoulDateOf } from "../../src/domain/index.js";
import type {
  Organisation,
  OrganisationKind,
  Role,
} from "../../src/store/index.js";
import {
  createAccount,
  createOfficeUser,
  freshTotpCode,
  logInWithPassword,
  startTestSystem,
  totpSecretOf,
  signIn,
  type ApiClient,
} from "../support/system.js";

export type System = Awaited<ReturnType<typeof startTestSystem>>;

export const SEOUL = "11";
export const BUSAN = "21";

export const ORGANISATION_KINDS: readonly OrganisationKind[] = [
  "national_agency",
  "health_office",
  "police",
  "telecom_operator",
  "card_association",
  "card_company",
  "audit_office",
  "system_operator",
];

export const ROLES: readonly Role[] = [
  "administrator",
  "investigator",
  "police_approver",
  "provider",
  "auditor",
];

const DAY_MS = 86_400_000;

/** Returns the Seoul date `days` days from today (negative for the past). */
export function seoulDateFromToday(days: number): string {
  return seoulDateOf(Date.now() + days * DAY_MS);
}

/** Creates an organisation of a kind under a unique name. */
export function createOrganisationOf(
  system: System,
  kind: OrganisationKind,
  name: string,
): Promise<Organisation> {
  return createOrganisation(system.store.db, { name, kind });
}

/** Creates an account with the test password and a second factor in an organisation, and returns its username. */
export async function createMember(
  system: System,
  organisation: Organisation,
  username: string,
  role: Role,
): Promise<string> {
  await createAccount(system, {
    organisationId: organisation.id,
    username,
    role,
  });
  return username;
}

/** The organisations and signed-in users of a request test. */
export interface RequestWorld {
  seoul: ApiClient;
  busan: ApiClient;
  police: ApiClient;
  admin: ApiClient;
  policeOrganisation: Organisation;
  skt: Organisation;
  kt: Organisation;
  crefia: Organisation;
  cardA: Organisation;
  cardB: Organisation;
}

/**
 * Sets up two health offices with an investigator each, a police agency
 * with an approver, two telecom operators, the card association, two card
 * companies, and an administrator who creates provider keys.
 */
export async function createRequestWorld(
  system: System,
): Promise<RequestWorld> {
  await createOfficeUser(system, SEOUL, "seoul.investigator");
  await createOfficeUser(system, BUSAN, "busan.investigator");

  const policeOrganisation = await createOrganisationOf(
    system,
    "police",
    "National Police Agency",
  );
  await createMember(
    system,
    policeOrganisation,
    "police.approver",
    "police_approver",
  );
  const operator = await createOrganisationOf(
    system,
    "system_operator",
    "System operator",
  );
  await createMember(system, operator, "ops.admin", "administrator");

  return {
    seoul: await signIn(system, "seoul.investigator"),
    busan: await signIn(system, "busan.investigator"),
    police: await signIn(system, "police.approver"),
    admin: await signIn(system, "ops.admin"),
    policeOrganisation,
    skt: await createOrganisationOf(system, "telecom_operator", "SK Telecom"),
    kt: await createOrganisationOf(system, "telecom_operator", "KT"),
    crefia: await createOrganisationOf(
      system,
      "card_association",
      "Credit Finance Association",
    ),
    cardA: await createOrganisationOf(system, "card_company", "Card Company A"),
    cardB: await createOrganisationOf(system, "card_company", "Card Company B"),
  };
}

/** Creates a provider API key for an organisation through the admin API and returns the key. */
export async function createKey(
  admin: ApiClient,
  organisationId: string,
  name = "batch server",
): Promise<{ id: string; secret: string }> {
  const response = await admin.request("POST", "/api/provider-keys", {
    organisationId,
    name,
  });
  if (response.status !== 201) {
    throw new Error(
      `Key creation failed with ${response.status}: ${await response.text()}`,
    );
  }
  const body = (await response.json()) as {
    key: { id: string };
    secret: string;
  };
  return { id: body.key.id, secret: body.secret };
}

/** A client of the provider API that sends one API key. */
export interface ProviderClient {
  request(method: string, url: string, body?: unknown): Promise<Response>;
  upload(
    requestId: string,
    kind: string,
    file: string | Buffer,
  ): Promise<Response>;
}

export function providerClient(system: System, secret: string): ProviderClient {
  const authorization = `Bearer ${secret}`;
  return {
    request: (method, url, body) =>
      fetch(`${system.url}${url}`, {
        method,
        headers: {
          authorization,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    upload: (requestId, kind, file) =>
      fetch(
        `${system.url}/api/provider/requests/${requestId}/uploads?kind=${kind}`,
        {
          method: "POST",
          headers: {
            authorization,
            "content-type": "application/octet-stream",
          },
          body: typeof file === "string" ? file : new Uint8Array(file),
        },
      ),
  };
}

/** Registers a case in the client's office with symptom onset 3 days ago and returns its id. */
export async function createCase(
  client: ApiClient,
  caseNumber: string,
  personName: string,
): Promise<string> {
  const response = await client.request("POST", "/api/cases", {
    caseNumber,
    person: { name: personName, birthYear: 1980 },
    symptomOnsetDate: seoulDateFromToday(-3),
    confirmedDate: seoulDateFromToday(-1),
  });
  if (response.status !== 201) {
    throw new Error(
      `Case creation failed with ${response.status}: ${await response.text()}`,
    );
  }
  return ((await response.json()) as { id: string }).id;
}

/** Returns the body of a request for base-station data of a phone over the last 10 days. */
export function locationRequestBody(
  caseId: string,
  providerIds?: string[],
): Record<string, unknown> {
  return {
    caseId,
    dataKinds: ["base_station"],
    phoneNumber: "010-1234-5678",
    windowStartDate: seoulDateFromToday(-10),
    windowEndDate: seoulDateFromToday(0),
    purpose: "Trace the places the case visited while infectious.",
    legalBasis: "76-2(2)",
    ...(providerIds === undefined
      ? {}
      : { providerOrganisationIds: providerIds }),
  };
}

/** Returns the body of a request for card transactions over the last 10 days. */
export function cardRequestBody(caseId: string): Record<string, unknown> {
  return {
    caseId,
    dataKinds: ["card"],
    cardHolder: "HOLDER-7781",
    windowStartDate: seoulDateFromToday(-10),
    windowEndDate: seoulDateFromToday(0),
    purpose: "Find the shops the case paid at while infectious.",
    legalBasis: "76-2(1)",
  };
}

/** Creates and submits a request through the API and returns its id. */
export async function submitRequest(
  client: ApiClient,
  body: Record<string, unknown>,
): Promise<string> {
  const created = await client.request("POST", "/api/requests", body);
  if (created.status !== 201) {
    throw new Error(
      `Request creation failed with ${created.status}: ${await created.text()}`,
    );
  }
  const { id } = (await created.json()) as { id: string };
  const submitted = await client.request("POST", `/api/requests/${id}/submit`);
  if (submitted.status !== 200) {
    throw new Error(
      `Submission failed with ${submitted.status}: ${await submitted.text()}`,
    );
  }
  return id;
}

/** A base-station answer file in the provider template, one row per hour from 5 days ago. */
export function baseStationFile(
  rows: number,
  phoneNumber = "010-1234-5678",
): string {
  const start = Date.parse(`${seoulDateFromToday(-5)}T09:00:00+09:00`);
  const lines = ["phone_number,observed_at,cell_id,latitude,longitude"];
  for (let index = 0; index < rows; index++) {
    const instant = new Date(start + index * 3_600_000).toISOString();
    lines.push(
      `${phoneNumber},${instant},45008-${1000 + index},37.5665,126.978`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A card transaction answer file in the provider template, one row every 2 hours from 4 days ago. */
export function cardFile(rows: number, merchant: string): string {
  const start = Date.parse(`${seoulDateFromToday(-4)}T12:00:00+09:00`);
  const lines = [
    "card_number,paid_at,merchant_name,latitude,longitude,amount_krw",
  ];
  for (let index = 0; index < rows; index++) {
    const instant = new Date(start + index * 7_200_000).toISOString();
    lines.push(
      `9430-12**-****-5678,${instant},${merchant} ${index},37.57,126.98,${1000 * (index + 1)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A signed-in provider user of the web inbox, who can also send a file as the browser does. */
export interface InboxClient extends ApiClient {
  upload(
    requestId: string,
    kind: string,
    file: string | Buffer,
  ): Promise<Response>;
}

/**
 * Signs a provider user in with the password and the recorded TOTP secret,
 * and returns a client of the web inbox that keeps the session cookie.
 */
export async function signInToInbox(
  system: System,
  username: string,
): Promise<InboxClient> {
  const login = await logInWithPassword(system, username);
  const cookie =
    (login.response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const secret = totpSecretOf(system, username);
  if (login.stage !== "second_factor" || secret === undefined) {
    throw new Error(
      `Sign-in of ${username} reached stage ${login.stage ?? "none"}: create the account with a second factor.`,
    );
  }
  const completed = await login.client.request(
    "POST",
    "/api/session/second-factor",
    { code: await freshTotpCode(secret) },
  );
  if (completed.status !== 200) {
    throw new Error(
      `Second factor of ${username} failed with ${completed.status}: ${await completed.text()}`,
    );
  }
  return {
    cookie,
    request: login.client.request,
    upload: (requestId, kind, file) =>
      fetch(
        `${system.url}/api/provider-inbox/requests/${requestId}/uploads?kind=${kind}`,
        {
          method: "POST",
          headers: { cookie, "content-type": "text/csv" },
          body: typeof file === "string" ? file : new Uint8Array(file),
        },
      ),
  };
}
