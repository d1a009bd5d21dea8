import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ensureProvinceHealthOffice } from "../../src/accounts/organisations.js";
import type { OrganisationKind, Role } from "../../src/store/index.js";
import {
  baseStationFile,
  BUSAN,
  cardFile,
  cardRequestBody,
  createCase,
  createKey,
  createMember,
  createOrganisationOf,
  createRequestWorld,
  locationRequestBody,
  ORGANISATION_KINDS,
  providerClient,
  ROLES,
  SEOUL,
  submitRequest,
  type ProviderClient,
  type RequestWorld,
  type System,
} from "./fixtures.js";
import { signIn, startTestSystem, type ApiClient } from "../support/system.js";

/** A signed-in user of one role at one kind of organisation. */
interface Principal {
  label: string;
  role: Role;
  kind: OrganisationKind;
  client: ApiClient;
}

type Call = [method: string, url: string, body?: unknown];

/** Values that no denied response may contain. */
const SECRETS = ["01012345678", "HOLDER-7781", "홍길동", "S-3001"];

describe("data request access", () => {
  let system: System;
  let world: RequestWorld;
  let principals: Principal[];
  let caseId: string;
  let draftId: string;
  let pendingLocationId: string;
  let sentLocationId: string;
  let cardId: string;
  let sktUploadId: string;
  let cardUploadId: string;
  let keyId: string;
  let skt: ProviderClient;
  let kt: ProviderClient;
  let crefia: ProviderClient;
  let cardA: ProviderClient;
  let cardB: ProviderClient;

  beforeAll(async () => {
    // Some fifty accounts sign in from one address within a minute.
    system = await startTestSystem({ loginAttemptsPerMinute: 1000 });
    world = await createRequestWorld(system);
    principals = await createPrincipals(system);

    caseId = await createCase(world.seoul, "S-3001", "홍길동");
    const draft = await world.seoul.request(
      "POST",
      "/api/requests",
      locationRequestBody(caseId, [world.skt.id]),
    );
    draftId = ((await draft.json()) as { id: string }).id;
    pendingLocationId = await submitRequest(
      world.seoul,
      locationRequestBody(caseId, [world.skt.id]),
    );
    sentLocationId = await submitRequest(
      world.seoul,
      locationRequestBody(caseId, [world.skt.id, world.kt.id]),
    );
    await world.police.request(
      "POST",
      `/api/location-approvals/${sentLocationId}/approve`,
      {},
    );
    cardId = await submitRequest(world.seoul, cardRequestBody(caseId));

    const sktKey = await createKey(world.admin, world.skt.id);
    keyId = sktKey.id;
    skt = providerClient(system, sktKey.secret);
    kt = providerClient(
      system,
      (await createKey(world.admin, world.kt.id)).secret,
    );
    crefia = providerClient(
      system,
      (await createKey(world.admin, world.crefia.id)).secret,
    );
    cardA = providerClient(
      system,
      (await createKey(world.admin, world.cardA.id)).secret,
    );
    cardB = providerClient(
      system,
      (await createKey(world.admin, world.cardB.id)).secret,
    );

    const sktUpload = await skt.upload(
      sentLocationId,
      "base_station",
      baseStationFile(4),
    );
    sktUploadId = ((await sktUpload.json()) as { uploadId: string }).uploadId;
    await crefia.request(
      "POST",
      `/api/provider/requests/${cardId}/forward`,
      {},
    );
    const cardUpload = await cardA.upload(
      cardId,
      "card",
      cardFile(2, "Bakery"),
    );
    cardUploadId = ((await cardUpload.json()) as { uploadId: string }).uploadId;
  });

  afterAll(async () => {
    await system.close();
  });

  /** Expects every principal for whom `allowed` is false to be denied every call, without data. */
  async function expectDenied(
    calls: readonly Call[],
    allowed: (principal: Principal) => boolean,
  ): Promise<void> {
    for (const principal of principals.filter((p) => !allowed(p))) {
      for (const [method, url, body] of calls) {
        const response = await principal.client.request(method, url, body);
        const text = await response.text();
        const where = `${principal.label}: ${method} ${url}`;
        expect([403, 404], where).toContain(response.status);
        for (const secret of SECRETS) {
          expect(text, where).not.toContain(secret);
        }
      }
    }
  }

  it("denies investigator routes to everyone else", async () => {
    const calls: Call[] = [
      ["POST", "/api/requests", locationRequestBody(caseId, [world.skt.id])],
      ["GET", `/api/requests/${sentLocationId}`],
      ["POST", `/api/requests/${draftId}/submit`],
      ["POST", `/api/requests/${cardId}/withdraw`, { reason: "not needed" }],
      ["POST", `/api/requests/${cardId}/uploads/${cardUploadId}/accept`],
      [
        "POST",
        `/api/requests/${cardId}/uploads/${cardUploadId}/reject`,
        { reason: "wrong holder" },
      ],
    ];
    await expectDenied(
      calls,
      (p) => p.role === "investigator" && p.kind === "national_agency",
    );
  });

  it("lists no request to other offices", async () => {
    for (const principal of principals) {
      const response = await principal.client.request("GET", "/api/requests");
      const text = await response.text();
      const where = `${principal.label}: GET /api/requests`;
      if (
        principal.role === "investigator" &&
        principal.kind === "national_agency"
      ) {
        expect(response.status, where).toBe(200);
        continue;
      }
      if (
        principal.role === "investigator" &&
        principal.kind === "health_office"
      ) {
        expect(response.status, where).toBe(200);
        expect(JSON.parse(text), where).toMatchObject({ items: [], total: 0 });
      } else {
        expect(response.status, where).toBe(403);
      }
      expect(text, where).not.toContain(caseId);
    }
  });

  it("lets the national agency see the request", async () => {
    const national = principals.find(
      (p) => p.role === "investigator" && p.kind === "national_agency",
    );
    const response = await national?.client.request(
      "GET",
      `/api/requests/${sentLocationId}`,
    );

    expect(response?.status).toBe(200);
  });

  it("denies police routes to everyone else", async () => {
    const calls: Call[] = [
      ["GET", "/api/location-approvals"],
      ["GET", `/api/location-approvals/${pendingLocationId}`],
      ["POST", `/api/location-approvals/${pendingLocationId}/approve`, {}],
      [
        "POST",
        `/api/location-approvals/${pendingLocationId}/reject`,
        { reason: "no" },
      ],
    ];
    await expectDenied(
      calls,
      (p) => p.role === "police_approver" && p.kind === "police",
    );
  });

  it("hides drafts and personal data requests from the police", async () => {
    for (const id of [draftId, cardId]) {
      const response = await world.police.request(
        "GET",
        `/api/location-approvals/${id}`,
      );
      expect(response.status, id).toBe(404);
    }
  });

  it("denies key administration to everyone else", async () => {
    const calls: Call[] = [
      [
        "POST",
        "/api/provider-keys",
        { organisationId: world.skt.id, name: "rogue" },
      ],
      ["GET", "/api/provider-keys"],
      ["POST", `/api/provider-keys/${keyId}/revoke`],
    ];
    await expectDenied(
      calls,
      (p) => p.role === "administrator" && p.kind === "system_operator",
    );
  });

  it("denies the provider API to sessions", async () => {
    const calls: Call[] = [
      ["GET", "/api/provider/requests"],
      ["GET", `/api/provider/requests/${sentLocationId}`],
      [
        "POST",
        `/api/provider/requests/${sentLocationId}/uploads?kind=base_station`,
        {},
      ],
      [
        "POST",
        `/api/provider/requests/${sentLocationId}/uploads/${sktUploadId}/withdraw`,
        {},
      ],
      ["POST", `/api/provider/requests/${cardId}/forward`, {}],
      [
        "POST",
        `/api/provider/requests/${sentLocationId}/decline`,
        { reason: "no" },
      ],
    ];
    await expectDenied(calls, () => false);
    const seoul: Principal = {
      label: "seoul investigator",
      role: "investigator",
      kind: "health_office",
      client: world.seoul,
    };
    for (const [method, url, body] of calls) {
      const response = await seoul.client.request(method, url, body);
      expect(response.status, `${method} ${url}`).toBe(403);
    }
  });

  it("hides a part from other providers", async () => {
    const calls: [ProviderClient, string, Call][] = [
      [kt, "kt", ["GET", `/api/provider/requests/${pendingLocationId}`]],
      [cardA, "card A", ["GET", `/api/provider/requests/${sentLocationId}`]],
      [crefia, "crefia", ["GET", `/api/provider/requests/${sentLocationId}`]],
      [kt, "kt", ["GET", `/api/provider/requests/${cardId}`]],
      [
        kt,
        "kt",
        ["POST", `/api/provider/requests/${cardId}/decline`, { reason: "no" }],
      ],
      [
        cardA,
        "card A",
        [
          "POST",
          `/api/provider/requests/${sentLocationId}/decline`,
          { reason: "no" },
        ],
      ],
      [
        cardB,
        "card B",
        [
          "POST",
          `/api/provider/requests/${cardId}/uploads/${cardUploadId}/withdraw`,
          {},
        ],
      ],
      [
        kt,
        "kt",
        [
          "POST",
          `/api/provider/requests/${sentLocationId}/uploads/${sktUploadId}/withdraw`,
          {},
        ],
      ],
    ];
    for (const [client, name, [method, url, body]] of calls) {
      const response = await client.request(method, url, body);
      const text = await response.text();
      expect(response.status, `${name}: ${method} ${url}`).toBe(404);
      expect(text).not.toContain("HOLDER-7781");
      expect(text).not.toContain(sktUploadId);
    }

    const upload = await cardA.upload(
      sentLocationId,
      "base_station",
      baseStationFile(1),
    );
    expect(upload.status).toBe(404);
  });

  it("lists only the caller's own parts", async () => {
    const response = await kt.request("GET", "/api/provider/requests");
    const items = (
      (await response.json()) as {
        items: { requestId: string; partId: string }[];
      }
    ).items;
    const ktParts = await system.store.db
      .selectFrom("data_request_parts")
      .select("id")
      .where("provider_organisation_id", "=", world.kt.id)
      .execute();

    expect(items.map((item) => item.requestId)).toEqual([sentLocationId]);
    expect(items.map((item) => item.partId)).toEqual(ktParts.map((p) => p.id));
  });

  it("denies actions outside the provider's role", async () => {
    const forward = await skt.request(
      "POST",
      `/api/provider/requests/${sentLocationId}/forward`,
      {},
    );
    expect(forward.status).toBe(403);
    const associationUpload = await crefia.upload(
      cardId,
      "card",
      cardFile(1, "Shop"),
    );
    expect(associationUpload.status).toBe(403);
  });

  it("rejects missing, unknown, revoked and expired keys", async () => {
    const anonymous = await fetch(`${system.url}/api/provider/requests`);
    expect(anonymous.status).toBe(401);
    const unknown = providerClient(system, "ept_not-a-key");
    expect(
      (await unknown.request("GET", "/api/provider/requests")).status,
    ).toBe(401);

    const revoked = await createKey(world.admin, world.skt.id, "to revoke");
    const revoke = await world.admin.request(
      "POST",
      `/api/provider-keys/${revoked.id}/revoke`,
    );
    expect(revoke.status).toBe(200);
    const revokedResponse = await providerClient(
      system,
      revoked.secret,
    ).request("GET", "/api/provider/requests");
    expect(revokedResponse.status).toBe(401);
    expect(await revokedResponse.text()).toContain("revoked");

    const expired = await createKey(world.admin, world.skt.id, "to expire");
    await system.store.db
      .updateTable("provider_api_keys")
      .set({ expires_at: Date.now() - 1000 })
      .where("id", "=", expired.id)
      .execute();
    const expiredResponse = await providerClient(
      system,
      expired.secret,
    ).request("GET", "/api/provider/requests");
    expect(expiredResponse.status).toBe(401);
    expect(await expiredResponse.text()).toContain("expired");
  });

  it("keeps API keys out of session routes", async () => {
    const response = await skt.request(
      "GET",
      `/api/requests/${sentLocationId}`,
    );
    expect(response.status).toBe(401);
  });

  it("stores key hashes, never keys", async () => {
    const created = await createKey(world.admin, world.kt.id, "hash check");
    const row = await system.store.db
      .selectFrom("provider_api_keys")
      .selectAll()
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    const listed = await world.admin.request("GET", "/api/provider-keys");

    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.secret);
    expect(await listed.text()).not.toContain(created.secret);
  });

  it("leaves every denied request unchanged", async () => {
    const states = await system.store.db
      .selectFrom("data_requests")
      .select(["id", "state"])
      .execute();
    const stateOf = (id: string) => states.find((s) => s.id === id)?.state;
    const uploads = await system.store.db
      .selectFrom("data_request_uploads")
      .select(["id", "state"])
      .execute();

    expect(stateOf(draftId)).toBe("draft");
    expect(stateOf(pendingLocationId)).toBe("awaiting_police_approval");
    expect(stateOf(sentLocationId)).toBe("partly_answered");
    expect(stateOf(cardId)).toBe("partly_answered");
    expect(uploads.every((upload) => upload.state === "received")).toBe(true);
    expect(states).toHaveLength(4);
  });
});

/**
 * Signs in a user of every role at an organisation of every kind (a health
 * office other than the case's among them), and every other role at the
 * case's own health office.
 */
async function createPrincipals(system: System): Promise<Principal[]> {
  const principals: Principal[] = [];
  const add = async (
    organisation: { id: string; name: string; kind: OrganisationKind },
    role: Role,
    username: string,
  ) => {
    await createMember(
      system,
      {
        ...organisation,
        jurisdiction_code: null,
        allowed_networks: "[]",
        created_at: 0,
      },
      username,
      role,
    );
    principals.push({
      label: `${role} at ${organisation.name}`,
      role,
      kind: organisation.kind,
      client: await signIn(system, username),
    });
  };

  for (const kind of ORGANISATION_KINDS) {
    const organisation =
      kind === "health_office"
        ? await ensureProvinceHealthOffice(system.store.db, BUSAN)
        : await createOrganisationOf(system, kind, `Other ${kind}`);
    for (const role of ROLES) {
      await add(organisation, role, `${kind}.${role}`.replaceAll("_", "-"));
    }
  }

  const ownOffice = await ensureProvinceHealthOffice(system.store.db, SEOUL);
  for (const role of ROLES.filter((r) => r !== "investigator")) {
    await add(ownOffice, role, `seoul.${role}`.replaceAll("_", "-"));
  }
  return principals;
}
