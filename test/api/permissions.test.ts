import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  createOrganisation,
  ensureProvinceHealthOffice,
} from "../../src/accounts/organisations.js";
import type { OrganisationKind, Role } from "../../src/store/index.js";
import {
  collectApiRoutes,
  expectationFor,
  methodOf,
  ROUTE_TABLE,
  type CallerProfile,
} from "../support/api-routes.js";
import {
  personalDataIn,
  seedRouteWorld,
  type RouteWorld,
} from "../support/route-world.js";
import {
  createAccount,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const ROLES = [
  "administrator",
  "investigator",
  "police_approver",
  "provider",
  "auditor",
] as const satisfies readonly Role[];

const KINDS = [
  "national_agency",
  "health_office",
  "police",
  "telecom_operator",
  "card_association",
  "card_company",
  "audit_office",
  "system_operator",
] as const satisfies readonly OrganisationKind[];

// Fails to compile when a role or a kind of organisation is missing above.
const everyRoleListed: Exclude<Role, (typeof ROLES)[number]> extends never
  ? true
  : never = true;
const everyKindListed: Exclude<
  OrganisationKind,
  (typeof KINDS)[number]
> extends never
  ? true
  : never = true;

interface CallerDefinition {
  name: string;
  role: Role;
  kind: OrganisationKind;
  /** Where the account sits: a fresh organisation of the kind, or a province's health office. */
  office: "fresh" | "seoul" | "busan";
}

const CALLERS: CallerDefinition[] = [
  ...ROLES.flatMap((role) =>
    KINDS.map((kind) => ({
      name: `${role} at a ${kind}`,
      role,
      kind,
      office: "fresh" as const,
    })),
  ),
  {
    name: "investigator of another jurisdiction",
    role: "investigator",
    kind: "health_office",
    office: "busan",
  },
  {
    name: "investigator of the records' own office",
    role: "investigator",
    kind: "health_office",
    office: "seoul",
  },
];

describe("permissions of every API route", () => {
  let system: System;
  let world: RouteWorld;
  let routes: string[];
  const clients = new Map<string, ApiClient>();
  const profiles = new Map<string, CallerProfile>();

  beforeAll(async () => {
    expect(everyRoleListed).toBe(true);
    expect(everyKindListed).toBe(true);
    system = await startTestSystem({ loginAttemptsPerMinute: 10_000 });
    world = await seedRouteWorld(system);
    routes = collectApiRoutes(system.app);

    for (const [index, caller] of CALLERS.entries()) {
      const organisation = await organisationFor(system, world, caller);
      const username = `caller.${index}`;
      await createAccount(system, {
        organisationId: organisation.id,
        username,
        role: caller.role,
      });
      clients.set(caller.name, await signIn(system, username));
      profiles.set(caller.name, {
        role: caller.role,
        kind: caller.kind,
        coversSeoul:
          caller.kind === "national_agency" ||
          organisation.id === world.seoulOffice.id,
      });
    }
  });

  afterAll(async () => {
    await system?.close();
  });

  it("has a call for every route", () => {
    const routesWithoutEntry = routes.filter(
      (route) => !(route in ROUTE_TABLE),
    );
    const entriesWithoutRoute = Object.keys(ROUTE_TABLE).filter(
      (route) => !routes.includes(route),
    );

    expect(
      routesWithoutEntry,
      "Routes without an entry in ROUTE_TABLE (test/support/api-routes.ts): add how to call each one and which action of the permission table governs it.",
    ).toEqual([]);
    expect(
      entriesWithoutRoute,
      "ROUTE_TABLE entries for routes the app no longer has: remove them.",
    ).toEqual([]);
  });

  it("finds the routes of every area", () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes).toContain("GET /api/cases/:id");
    expect(routes).toContain("POST /api/session/second-factor");
  });

  it("detects the seeded personal data where it is shown", async () => {
    const own = clients.get("investigator of the records' own office");
    const kase = await own?.request("GET", `/api/cases/${world.caseId}`);
    const movements = await own?.request(
      "GET",
      `/api/cases/${world.caseId}/movements`,
    );
    const request = await own?.request(
      "GET",
      `/api/requests/${world.requestId}`,
    );
    const shownValues = [
      ...personalDataIn(world, (await kase?.text()) ?? ""),
      ...personalDataIn(world, (await movements?.text()) ?? ""),
      ...personalDataIn(world, (await request?.text()) ?? ""),
    ];

    // Each seeded value reaches its own office, so the checks below can see a leak.
    for (const [kind, values] of Object.entries(world.personalData)) {
      expect(shownValues, kind).toContain(values[0]);
    }
  });

  for (const caller of CALLERS) {
    it(`answers the ${caller.name} as the table says`, async () => {
      const client = clients.get(caller.name) as ApiClient;
      const profile = profiles.get(caller.name) as CallerProfile;
      const checked = routes.filter((route) => route in ROUTE_TABLE);
      // Logout ends the session, so it goes last.
      checked.sort(
        (a, b) =>
          Number(ROUTE_TABLE[a]?.endsSession ?? false) -
          Number(ROUTE_TABLE[b]?.endsSession ?? false),
      );

      for (const route of checked) {
        const spec = ROUTE_TABLE[route];
        if (spec === undefined) {
          continue;
        }
        const call = await spec.call(world);
        const response = await client.request(
          methodOf(route),
          call.url,
          call.body,
        );
        const text = await response.text();
        const expected = expectationFor(spec, profile);

        expect
          .soft(
            expected.statuses,
            `${route} answered ${response.status}: ${text.slice(0, 300)}`,
          )
          .toContain(response.status);
        if (expected.readable !== "all") {
          expect
            .soft(
              personalDataIn(world, text, expected.readable),
              `${route} sent personal data of the Seoul office`,
            )
            .toEqual([]);
        }
      }
    });
  }
});

/** Returns the organisation a caller's account belongs to, creating a fresh one of its kind. */
async function organisationFor(
  system: System,
  world: RouteWorld,
  caller: CallerDefinition,
) {
  const { db } = system.store;
  switch (caller.office) {
    case "seoul":
      return world.seoulOffice;
    case "busan":
      return ensureProvinceHealthOffice(db, "21");
    case "fresh":
      return createOrganisation(db, {
        name: `Permission test ${caller.role} ${caller.kind}`,
        kind: caller.kind,
      });
  }
}
