import { randomUUID } from "node:crypto";

import type { FastifyInstance } from "fastify";

import { isPermitted, type Action } from "../../src/access/index.js";
import { seoulDateOf } from "../../src/domain/index.js";
import type { OrganisationKind, Role } from "../../src/store/index.js";
import type { PersonalDataKind, RouteWorld } from "./route-world.js";
import { TEST_PASSWORD } from "./system.js";

/** Who may call a route. */
export type RouteAccess =
  /** Anyone, without a session. */
  | { kind: "public" }
  /** Every session that completed login, whatever its role. */
  | { kind: "session" }
  /** Provider API keys only, so every session is rejected. */
  | { kind: "provider_key" }
  /**
   * Callers whose role and organisation hold the action. A `seoul` route
   * reaches a record of the Seoul office, so only callers whose
   * jurisdiction covers it may read it. An `everywhere` route reaches
   * records that every permitted caller may read.
   */
  | { kind: "action"; action: Action; reach: "seoul" | "everywhere" };

/** One request to a route. */
export interface RouteCall {
  /** Path with query string, such as /api/cases/<id>. */
  url: string;
  body?: unknown;
}

/** How to call a route and what a caller may get back. */
export interface RouteSpec {
  access: RouteAccess;
  /** Builds a valid request on records of the Seoul office, creating a fresh one for calls that change state. */
  call(world: RouteWorld): RouteCall | Promise<RouteCall>;
  /** Statuses of a permitted call that reaches its record. */
  allowed: readonly number[];
  /** Statuses of a permitted call from outside the Seoul jurisdiction (default 404, but 200 or 201 for list and create routes). */
  outside?: readonly number[];
  /** Kinds of Seoul personal data that a permitted caller from outside the jurisdiction may still read (default none). */
  outsideMayRead?: readonly PersonalDataKind[];
  /** True for the routes a half-open session may call: the second factor and logout. */
  openWhileHalfOpen?: true;
  /** True for logout, which the tests call after every other route. */
  endsSession?: true;
}

/** Statuses of a denied call. */
export const DENIED_STATUSES: readonly number[] = [401, 403, 404];

const reason = { reason: "Access test of every route." };

/**
 * How to call every route under /api. The permission test fails for a
 * route missing here, so a new route gets an entry before it ships.
 */
export const ROUTE_TABLE: Readonly<Record<string, RouteSpec>> = {
  "GET /api/config": publicRoute("/api/config"),
  "GET /api/health": publicRoute("/api/health"),
  "GET /api/openapi.json": publicRoute("/api/openapi.json"),
  "GET /api/docs": publicRoute("/api/docs"),
  "GET /api/docs/": publicRoute("/api/docs/"),
  "GET /api/docs/static/index.html": publicRoute("/api/docs/static/index.html"),
  "GET /api/docs/static/swagger-initializer.js": publicRoute(
    "/api/docs/static/swagger-initializer.js",
  ),
  "GET /api/docs/*": publicRoute("/api/docs/static/swagger-ui.css"),
  "GET /api/docs/json": publicRoute("/api/docs/json"),
  "GET /api/docs/yaml": publicRoute("/api/docs/yaml"),
  "POST /api/session": {
    access: { kind: "public" },
    call: () => ({
      url: "/api/session",
      body: { username: "route.nobody", password: "Wrong-password-1" },
    }),
    allowed: [401],
  },

  "GET /api/session": sessionRoute(() => ({ url: "/api/session" }), [200]),
  "DELETE /api/session": {
    ...sessionRoute(() => ({ url: "/api/session" }), [204]),
    openWhileHalfOpen: true,
    endsSession: true,
  },
  "POST /api/session/password": sessionRoute(
    () => ({
      url: "/api/session/password",
      body: { currentPassword: TEST_PASSWORD, newPassword: "Route-test-2031" },
    }),
    [204],
  ),
  "GET /api/session/second-factor": {
    ...sessionRoute(() => ({ url: "/api/session/second-factor" }), [200]),
    openWhileHalfOpen: true,
  },
  // A session that completed login has nothing left to complete or enrol.
  "POST /api/session/second-factor": {
    ...sessionRoute(
      () => ({ url: "/api/session/second-factor", body: { code: "000000" } }),
      [409],
    ),
    openWhileHalfOpen: true,
  },
  "POST /api/session/second-factor/enrolment": {
    ...sessionRoute(
      () => ({ url: "/api/session/second-factor/enrolment" }),
      [409],
    ),
    openWhileHalfOpen: true,
  },
  "POST /api/session/second-factor/enrolment/confirmation": {
    ...sessionRoute(
      () => ({
        url: "/api/session/second-factor/enrolment/confirmation",
        body: { code: "000000" },
      }),
      [409],
    ),
    openWhileHalfOpen: true,
  },

  "GET /api/cases": {
    ...seoulRoute("case.search", () => ({ url: "/api/cases" }), [200]),
    outside: [200],
  },
  "POST /api/cases": {
    ...seoulRoute(
      "case.create",
      (world) => ({
        url: "/api/cases",
        body: { caseNumber: world.unique("ROUTE-OWN-"), person: {} },
      }),
      [201],
    ),
    outside: [201],
  },
  "GET /api/cases/:id": seoulRoute(
    "case.view",
    (world) => ({ url: `/api/cases/${world.caseId}` }),
    [200],
  ),
  "PATCH /api/cases/:id": seoulRoute(
    "case.update",
    (world) => ({
      url: `/api/cases/${world.caseId}`,
      body: { state: "isolated" },
    }),
    [200],
  ),
  "POST /api/cases/:id/close": seoulRoute(
    "case.update",
    async (world) => ({
      url: `/api/cases/${await world.newCase()}/close`,
      body: {},
    }),
    [200],
  ),
  "POST /api/cases/:id/exports": seoulRoute(
    "case.export",
    (world) => ({
      url: `/api/cases/${world.caseId}/exports`,
      body: { format: "csv", ...reason },
    }),
    [200],
  ),
  "GET /api/cases/:id/movements": seoulRoute(
    "movement.view",
    (world) => ({ url: `/api/cases/${world.caseId}/movements` }),
    [200],
  ),
  "GET /api/cases/:id/route": seoulRoute(
    "movement.view",
    (world) => ({ url: `/api/cases/${world.caseId}/route` }),
    [200],
  ),
  "POST /api/cases/:id/visits": seoulRoute(
    "visit.create",
    (world) => ({
      url: `/api/cases/${world.caseId}/visits`,
      body: {
        placeName: "Route test visit",
        latitude: 37.5,
        longitude: 127.0,
        visitDate: "2020-01-01",
      },
    }),
    [201],
  ),

  // A JSON body is not a file, so a permitted caller gets 400 after the
  // access checks; test/api/uploads.test.ts sends real files.
  "POST /api/cases/:id/uploads/validate": seoulRoute(
    "upload.create",
    (world) => ({
      url: `/api/cases/${world.caseId}/uploads/validate?kind=interview`,
      body: {},
    }),
    [400],
  ),
  "POST /api/cases/:id/uploads": seoulRoute(
    "upload.create",
    (world) => ({
      url: `/api/cases/${world.caseId}/uploads?kind=interview`,
      body: {},
    }),
    [400],
  ),
  "GET /api/upload-templates/:kind/:file": sessionRoute(
    () => ({ url: "/api/upload-templates/checkin/sample.csv" }),
    [200],
  ),

  "GET /api/cases/:id/contacts": seoulRoute(
    "contact.view",
    (world) => ({ url: `/api/cases/${world.caseId}/contacts` }),
    [200],
  ),
  "POST /api/cases/:id/contacts/:personId/decision": seoulRoute(
    "contact.decide",
    (world) => ({
      url: `/api/cases/${world.caseId}/contacts/${world.contactPersonId}/decision`,
      body: { decision: "dismissed", ...reason },
    }),
    [201],
  ),
  "GET /api/hotspots": {
    ...seoulRoute("hotspot.view", () => ({ url: "/api/hotspots" }), [200]),
    outside: [200],
  },
  "GET /api/hotspots/space-time-scan": {
    ...seoulRoute(
      "hotspot.view",
      () => ({ url: "/api/hotspots/space-time-scan?replications=9" }),
      [200],
    ),
    outside: [200],
  },
  // An exposure query lists the persons of every jurisdiction who were at
  // the place and the days they were there, so that offices can hand each
  // other their contacts; persons of other offices appear under an opaque
  // label, never with their case number.
  "POST /api/exposure": {
    outsideMayRead: ["date"],
    ...seoulRoute(
      "exposure.query",
      () => {
        const now = Date.now();
        return {
          url: "/api/exposure",
          // The place and days of the seeded visit.
          body: {
            latitude: 37.5665,
            longitude: 126.978,
            from: new Date(now - 5 * 86_400_000).toISOString(),
            to: new Date(now).toISOString(),
          },
        };
      },
      [200],
    ),
    outside: [200],
  },
  "GET /api/links": {
    ...seoulRoute("link.view", () => ({ url: "/api/links" }), [200]),
    outside: [200],
  },

  "GET /api/users": anywhereRoute(
    "user.manage",
    () => ({ url: "/api/users" }),
    [200],
  ),
  "POST /api/users": anywhereRoute(
    "user.manage",
    (world) => ({
      url: "/api/users",
      body: {
        username: world.unique("route.created."),
        displayName: "Route test account",
        role: "auditor",
        organisationId: world.seoulOffice.id,
      },
    }),
    [201],
  ),
  "PATCH /api/users/:id": anywhereRoute(
    "user.manage",
    (world) => ({
      url: `/api/users/${world.targetUserId}`,
      body: { disabled: false },
    }),
    [200],
  ),
  "POST /api/users/:id/unlock": anywhereRoute(
    "user.manage",
    (world) => ({ url: `/api/users/${world.targetUserId}/unlock` }),
    [200],
  ),
  "POST /api/users/:id/password-reset": anywhereRoute(
    "user.manage",
    (world) => ({ url: `/api/users/${world.targetUserId}/password-reset` }),
    [200],
  ),
  "POST /api/users/:id/second-factor-reset": anywhereRoute(
    "user.manage",
    (world) => ({
      url: `/api/users/${world.targetUserId}/second-factor-reset`,
    }),
    [200],
  ),
  "GET /api/organisations": anywhereRoute(
    "organisation.manage",
    () => ({ url: "/api/organisations" }),
    [200],
  ),
  "POST /api/organisations": anywhereRoute(
    "organisation.manage",
    (world) => ({
      url: "/api/organisations",
      body: { name: world.unique("Route test police "), kind: "police" },
    }),
    [201],
  ),

  "PUT /api/organisations/:id/networks": anywhereRoute(
    "organisation.manage",
    (world) => ({
      url: `/api/organisations/${world.telecomOperatorId}/networks`,
      body: { allowedNetworks: [] },
    }),
    [200],
  ),

  "GET /api/areas": anywhereRoute(
    "area.view",
    () => ({ url: "/api/areas?level=province" }),
    [200],
  ),

  "GET /api/audit/events": anywhereRoute(
    "audit.search",
    () => ({ url: "/api/audit/events" }),
    [200],
  ),
  "GET /api/audit/persons/:personId/history": anywhereRoute(
    "audit.search",
    (world) => ({ url: `/api/audit/persons/${world.personId}/history` }),
    [200],
  ),
  "GET /api/audit/review": anywhereRoute(
    "audit.review",
    () => ({
      url: `/api/audit/review?month=${seoulDateOf(Date.now()).slice(0, 7)}`,
    }),
    [200],
  ),

  "POST /api/requests": seoulRoute(
    "request.create",
    (world) => ({ url: "/api/requests", body: world.requestBody() }),
    [201],
  ),
  "GET /api/requests": {
    ...seoulRoute("request.view", () => ({ url: "/api/requests" }), [200]),
    outside: [200],
  },
  "GET /api/requests/:id": seoulRoute(
    "request.view",
    (world) => ({ url: `/api/requests/${world.requestId}` }),
    [200],
  ),
  "GET /api/requests/:id/timing": seoulRoute(
    "request.view",
    (world) => ({ url: `/api/requests/${world.requestId}/timing` }),
    [200],
  ),
  "GET /api/request-statistics": {
    ...seoulRoute(
      "request.view",
      () => ({ url: "/api/request-statistics" }),
      [200],
    ),
    outside: [200],
  },
  // NOTE: the seeded request is about the case's person, so a permitted
  // caller gets 400 (no subscriber list); the exposure tests cover the rest.
  "GET /api/requests/:id/exposure-subscribers": seoulRoute(
    "request.view",
    (world) => ({
      url: `/api/requests/${world.requestId}/exposure-subscribers`,
    }),
    [400],
  ),
  "POST /api/requests/:id/exposure-subscribers/:subscriberId/link": seoulRoute(
    "request.review_upload",
    (world) => ({
      url: `/api/requests/${world.requestId}/exposure-subscribers/${randomUUID()}/link`,
    }),
    [400],
  ),
  "POST /api/requests/:id/submit": seoulRoute(
    "request.submit",
    async (world) => ({
      url: `/api/requests/${await world.newDraftRequest()}/submit`,
    }),
    [200],
  ),
  "POST /api/requests/:id/withdraw": seoulRoute(
    "request.withdraw",
    async (world) => ({
      url: `/api/requests/${await world.newDraftRequest()}/withdraw`,
      body: reason,
    }),
    [200],
  ),
  // NOTE: the seeded request has no upload, so even a permitted caller
  // gets 404; these entries check the denials only.
  "POST /api/requests/:id/uploads/:uploadId/accept": seoulRoute(
    "request.review_upload",
    (world) => ({
      url: `/api/requests/${world.requestId}/uploads/${randomUUID()}/accept`,
    }),
    [404],
  ),
  "POST /api/requests/:id/uploads/:uploadId/reject": seoulRoute(
    "request.review_upload",
    (world) => ({
      url: `/api/requests/${world.requestId}/uploads/${randomUUID()}/reject`,
      body: reason,
    }),
    [404],
  ),

  "GET /api/location-approvals": anywhereRoute(
    "request.approve",
    () => ({ url: "/api/location-approvals" }),
    [200],
  ),
  "GET /api/location-approvals/:id": anywhereRoute(
    "request.approve",
    (world) => ({ url: `/api/location-approvals/${world.requestId}` }),
    [200],
  ),
  "POST /api/location-approvals/:id/approve": anywhereRoute(
    "request.approve",
    async (world) => ({
      url: `/api/location-approvals/${await world.newSubmittedRequest()}/approve`,
      body: {},
    }),
    [200],
  ),
  "POST /api/location-approvals/:id/reject": anywhereRoute(
    "request.approve",
    async (world) => ({
      url: `/api/location-approvals/${await world.newSubmittedRequest()}/reject`,
      body: reason,
    }),
    [200],
  ),

  "POST /api/provider-keys": anywhereRoute(
    "provider_key.manage",
    (world) => ({
      url: "/api/provider-keys",
      body: {
        organisationId: world.telecomOperatorId,
        name: world.unique("route key "),
      },
    }),
    [201],
  ),
  "GET /api/provider-keys": anywhereRoute(
    "provider_key.manage",
    () => ({ url: "/api/provider-keys" }),
    [200],
  ),
  "POST /api/provider-keys/:id/revoke": anywhereRoute(
    "provider_key.manage",
    async (world) => ({
      url: `/api/provider-keys/${await world.newProviderKey()}/revoke`,
    }),
    [200],
  ),

  "GET /api/provider/requests": providerRoute(() => ({
    url: "/api/provider/requests",
  })),
  "GET /api/provider/requests/:requestId": providerRoute((world) => ({
    url: `/api/provider/requests/${world.requestId}`,
  })),
  "POST /api/provider/requests/:requestId/uploads": providerRoute((world) => ({
    url: `/api/provider/requests/${world.requestId}/uploads?kind=base_station`,
    body: {},
  })),
  "POST /api/provider/requests/:requestId/uploads/:uploadId/withdraw":
    providerRoute((world) => ({
      url: `/api/provider/requests/${world.requestId}/uploads/${randomUUID()}/withdraw`,
      body: {},
    })),
  "POST /api/provider/requests/:requestId/forward": providerRoute((world) => ({
    url: `/api/provider/requests/${world.requestId}/forward`,
    body: {},
  })),
  "POST /api/provider/requests/:requestId/decline": providerRoute((world) => ({
    url: `/api/provider/requests/${world.requestId}/decline`,
    body: reason,
  })),

  // NOTE: the seeded request waits for the police, so it has no part for
  // any provider. Even a permitted caller gets 404 on it, and these entries
  // check the denials. The inbox tests cover the permitted calls.
  "GET /api/provider-inbox/requests": anywhereRoute(
    "provider.pull",
    () => ({ url: "/api/provider-inbox/requests" }),
    [200],
  ),
  "GET /api/provider-inbox/requests/:requestId": anywhereRoute(
    "provider.pull",
    (world) => ({ url: `/api/provider-inbox/requests/${world.requestId}` }),
    [404],
  ),
  // A JSON body is not a file, so a permitted caller gets 400.
  "POST /api/provider-inbox/requests/:requestId/uploads": anywhereRoute(
    "provider.answer",
    (world) => ({
      url: `/api/provider-inbox/requests/${world.requestId}/uploads?kind=base_station`,
      body: {},
    }),
    [400],
  ),
  "POST /api/provider-inbox/requests/:requestId/uploads/:uploadId/withdraw":
    anywhereRoute(
      "provider.answer",
      (world) => ({
        url: `/api/provider-inbox/requests/${world.requestId}/uploads/${randomUUID()}/withdraw`,
        body: {},
      }),
      [404],
    ),
  "POST /api/provider-inbox/requests/:requestId/forward": anywhereRoute(
    "provider.forward",
    (world) => ({
      url: `/api/provider-inbox/requests/${world.requestId}/forward`,
      body: {},
    }),
    [404],
  ),
  "POST /api/provider-inbox/requests/:requestId/decline": anywhereRoute(
    "provider.decline",
    (world) => ({
      url: `/api/provider-inbox/requests/${world.requestId}/decline`,
      body: reason,
    }),
    [404],
  ),
  "GET /api/provider-inbox/card-companies": anywhereRoute(
    "provider.forward",
    () => ({ url: "/api/provider-inbox/card-companies" }),
    [200],
  ),

  "GET /api/notifications": sessionRoute(
    () => ({ url: "/api/notifications" }),
    [200],
  ),
  "POST /api/notifications/read": sessionRoute(
    () => ({ url: "/api/notifications/read", body: {} }),
    [200],
  ),
};

function publicRoute(url: string): RouteSpec {
  return { access: { kind: "public" }, call: () => ({ url }), allowed: [200] };
}

function sessionRoute(
  call: RouteSpec["call"],
  allowed: readonly number[],
): RouteSpec {
  return { access: { kind: "session" }, call, allowed };
}

function seoulRoute(
  action: Action,
  call: RouteSpec["call"],
  allowed: readonly number[],
): RouteSpec {
  return { access: { kind: "action", action, reach: "seoul" }, call, allowed };
}

function anywhereRoute(
  action: Action,
  call: RouteSpec["call"],
  allowed: readonly number[],
): RouteSpec {
  return {
    access: { kind: "action", action, reach: "everywhere" },
    call,
    allowed,
  };
}

function providerRoute(call: RouteSpec["call"]): RouteSpec {
  return { access: { kind: "provider_key" }, call, allowed: [] };
}

/** A signed-in caller of the permission test. */
export interface CallerProfile {
  role: Role;
  kind: OrganisationKind;
  /** True when the caller's jurisdiction covers the Seoul office's cases. */
  coversSeoul: boolean;
}

/** What a caller may get from one route. */
export interface Expectation {
  statuses: readonly number[];
  /** Kinds of the Seoul office's personal data that the body may contain, or `all`. */
  readable: "all" | readonly PersonalDataKind[];
}

/** Derives, from the permission table, what a signed-in caller may get from a route. */
export function expectationFor(
  spec: RouteSpec,
  caller: CallerProfile,
): Expectation {
  const { access } = spec;
  switch (access.kind) {
    case "public":
    case "session":
      return { statuses: spec.allowed, readable: [] };
    case "provider_key":
      return { statuses: [401, 403], readable: [] };
    case "action": {
      if (!isPermitted(caller.role, caller.kind, access.action)) {
        return { statuses: DENIED_STATUSES, readable: [] };
      }
      if (access.reach === "everywhere" || caller.coversSeoul) {
        return { statuses: spec.allowed, readable: "all" };
      }
      return {
        statuses: spec.outside ?? [404],
        readable: spec.outsideMayRead ?? [],
      };
    }
  }
}

/**
 * Lists every route of the app under /api as `METHOD /path`, read from
 * Fastify's route tree. HEAD routes are left out, because Fastify adds one
 * to every GET route and it runs the GET handler.
 */
export function collectApiRoutes(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const routes = new Set<string>();
  const pathAtDepth: string[] = [];

  for (const line of tree.split("\n")) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (match === null) {
      continue;
    }
    const depth = (match[1] ?? "").length / 4;
    const path = (pathAtDepth[depth - 1] ?? "") + (match[2] ?? "");
    pathAtDepth[depth] = path;
    pathAtDepth.length = depth + 1;

    const methods = (match[3] ?? "").split(", ").filter((m) => m !== "");
    for (const method of methods) {
      if (method !== "HEAD" && (path === "/api" || path.startsWith("/api/"))) {
        routes.add(`${method} ${path}`);
      }
    }
  }
  return [...routes].sort();
}

/** Splits a route key such as `GET /api/cases` into its method. */
export function methodOf(routeKey: string): string {
  return routeKey.slice(0, routeKey.indexOf(" "));
}
