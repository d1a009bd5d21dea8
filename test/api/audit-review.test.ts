import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createOrganisation } from "../../src/accounts/index.js";
import { appendAuditEvent } from "../../src/audit/index.js";
import { readReviewSettings } from "../../src/audit/review/index.js";
import { registerAuditCommand } from "../../src/cli/commands/audit.js";
import { registerAuditReviewCommand } from "../../src/cli/commands/audit-review.js";
import type { OrganisationKind, Role } from "../../src/store/index.js";
import {
  countAuditEvents,
  createAccount,
  createOfficeUser,
  signIn,
  startTestSystem,
  TEST_PASSWORD,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const SEOUL = "11";
const BUSAN = "21";
const MONTH = "2025-03";

/** Names and an address of the seeded persons, none of which an auditor may receive. */
const PERSONAL_DATA = ["홍길동", "김철수", "해운대구"];

/** Cases the bulk viewer opens on one day: one more than the default limit of 50 persons. */
const BULK_CASES = 51;

interface AuditAccount {
  userId: string | null;
  username: string | null;
  role: string | null;
  organisation: { id: string; name: string | null; kind: string } | null;
}

interface AuditEvent {
  id: number;
  occurredAt: string;
  account: AuditAccount;
  sourceAddress: string | null;
  action: string;
  result: string;
  person: { id: string; label: string | null } | null;
  case: { id: string; caseNumber: string | null } | null;
  purpose: string | null;
  detail: Record<string, unknown>;
}

interface EventPage {
  items: AuditEvent[];
  total: number;
  page: number;
  pageSize: number;
}

interface Span {
  account: AuditAccount;
  events: number;
  firstAt: string;
  lastAt: string;
}

interface Review {
  month: string;
  timeZone: string;
  startsAt: string;
  endsAt: string;
  settings: Record<string, unknown>;
  eventCount: number;
  bulkViews: (Span & { date: string; distinctPersons: number })[];
  outsideHours: {
    events: number;
    items: (Span & { date: string; weekend: boolean })[];
  };
  foreignCases: {
    denied: number;
    allowed: number;
    items: (Span & {
      result: string;
      case: { id: string; caseNumber: string; organisation: { name: string } };
      person: { id: string; label: string };
    })[];
  };
  exports: {
    missingReason: number;
    items: (AuditEvent & { reasonMissing: boolean })[];
  };
  failedLogins: {
    failures: number;
    locks: number;
    items: (Span & {
      failures: number;
      reasons: Record<string, number>;
      locks: number;
      sourceAddresses: string[];
    })[];
  };
}

/** Sets the clock of the test process, which the server shares, to a Seoul wall-clock time. */
function setSeoulTime(local: string): void {
  vi.setSystemTime(new Date(`${local}+09:00`));
}

async function attemptLogin(
  system: System,
  username: string,
  password: string,
) {
  return fetch(`${system.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
}

/** Creates an organisation of any kind with one account of TEST_PASSWORD. */
async function createAccountIn(
  system: System,
  organisation: { name: string; kind: OrganisationKind },
  username: string,
  role: Role,
): Promise<void> {
  const created = await createOrganisation(system.store.db, organisation);
  await createAccount(system, { organisationId: created.id, username, role });
}

async function createCase(
  client: ApiClient,
  caseNumber: string,
  person: Record<string, unknown> = {},
): Promise<{ id: string; personId: string }> {
  const response = await client.request("POST", "/api/cases", {
    caseNumber,
    person,
  });
  if (response.status !== 201) {
    throw new Error(
      `Creating case ${caseNumber} failed with ${response.status}: ${await response.text()}`,
    );
  }
  const body = (await response.json()) as {
    id: string;
    person: { id: string };
  };
  return { id: body.id, personId: body.person.id };
}

async function expectStatus(
  client: ApiClient,
  url: string,
  status: number,
): Promise<void> {
  const response = await client.request("GET", url);
  expect(response.status, url).toBe(status);
  await response.body?.cancel();
}

async function getJson<T>(client: ApiClient, url: string): Promise<T> {
  const response = await client.request("GET", url);
  const text = await response.text();
  expect(response.status, `${url}: ${text}`).toBe(200);
  return JSON.parse(text) as T;
}

describe("audit review API", () => {
  let system: System;
  let auditor: ApiClient;
  let seoul: ApiClient;
  let busan: ApiClient;
  let national: ApiClient;
  let seoulCase: { id: string; personId: string };
  let busanCase: { id: string; personId: string };
  let nonAuditors: Record<string, ApiClient>;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    setSeoulTime("2025-02-20T10:00:00");
    system = await startTestSystem({
      // The clock jumps by days between the seeded calls, so sessions
      // must outlast it, and every sign-in comes from one address.
      sessionIdleMinutes: 60 * 24 * 90,
      sessionMaxHours: 24 * 90,
      loginAttemptsPerMinute: 10_000,
    });
    await seedAccounts(system);

    seoul = await signIn(system, "seoul.investigator");
    busan = await signIn(system, "busan.investigator");
    national = await signIn(system, "national.investigator");
    const bulk = await signIn(system, "bulk.investigator");
    auditor = await signIn(system, "auditor");
    nonAuditors = {
      investigator: seoul,
      administrator: await signIn(system, "office.admin"),
      police: await signIn(system, "police.approver"),
    };

    // February: cases are registered, so their creation is outside the month.
    seoulCase = await createCase(seoul, "S-1", { name: "홍길동" });
    busanCase = await createCase(busan, "B-1", {
      name: "김철수",
      homeCity: "해운대구",
    });
    const bulkCases: string[] = [];
    for (let i = 1; i <= BULK_CASES; i++) {
      bulkCases.push((await createCase(bulk, `S-BULK-${i}`)).id);
    }

    await seedMonth({ seoul, busan, national, bulk }, bulkCases);
    await seedFailedLogins(system);

    setSeoulTime("2025-04-02T10:00:00");
  });

  afterAll(async () => {
    await system?.close();
    vi.useRealTimers();
  });

  async function seedMonth(
    clients: Record<"seoul" | "busan" | "national" | "bulk", ApiClient>,
    bulkCases: string[],
  ): Promise<void> {
    const view = async (client: ApiClient, caseId: string) => {
      const response = await client.request("GET", `/api/cases/${caseId}`);
      await response.body?.cancel();
    };
    const viewMovements = async (client: ApiClient, caseId: string) => {
      const response = await client.request(
        "GET",
        `/api/cases/${caseId}/movements`,
      );
      await response.body?.cancel();
    };

    // Saturday 1 March, 00:30 in Seoul but still 28 February in UTC.
    setSeoulTime("2025-03-01T00:30:00");
    await view(clients.busan, busanCase.id);

    // Tuesday 4 March, working hours.
    setSeoulTime("2025-03-04T10:00:00");
    await view(clients.seoul, seoulCase.id);
    await viewMovements(clients.seoul, seoulCase.id);
    await view(clients.seoul, busanCase.id);
    await view(clients.busan, busanCase.id);
    await view(clients.national, seoulCase.id);
    await view(clients.national, busanCase.id);

    // Wednesday 5 March: 51 persons by one account, and exactly the limit
    // of 50 by another, one of them twice and one after hours.
    setSeoulTime("2025-03-05T11:00:00");
    for (const caseId of bulkCases) {
      await view(clients.bulk, caseId);
    }
    for (const caseId of bulkCases.slice(0, 49)) {
      await view(clients.seoul, caseId);
    }
    await view(clients.seoul, bulkCases[0] as string);
    setSeoulTime("2025-03-05T21:30:00");
    await view(clients.seoul, seoulCase.id);

    // Thursday 6 March, around the edges of working hours.
    setSeoulTime("2025-03-06T07:59:00");
    await viewMovements(clients.seoul, seoulCase.id);
    setSeoulTime("2025-03-06T08:00:00");
    await view(clients.seoul, seoulCase.id);
    setSeoulTime("2025-03-06T19:59:00");
    await view(clients.seoul, seoulCase.id);
    setSeoulTime("2025-03-06T20:00:00");
    await view(clients.busan, busanCase.id);

    // Saturday 8 March.
    setSeoulTime("2025-03-08T11:00:00");
    await view(clients.busan, busanCase.id);

    // Tuesday 1 April, 00:30 in Seoul but still 31 March in UTC.
    setSeoulTime("2025-04-01T00:30:00");
    await view(clients.busan, busanCase.id);
  }

  /** Monday 10 March, 23:00: two wrong passwords, an unknown user and a lockout. */
  async function seedFailedLogins(system: System): Promise<void> {
    setSeoulTime("2025-03-10T23:00:00");
    for (let i = 0; i < 2; i++) {
      await attemptLogin(system, "seoul.investigator", "wrong-password-1");
    }
    await attemptLogin(system, "nobody", "wrong-password-1");
    for (let i = 0; i < 5; i++) {
      await attemptLogin(system, "locked.investigator", "wrong-password-1");
    }
    await attemptLogin(system, "locked.investigator", TEST_PASSWORD);
  }

  it("rejects every audit route without a session", async () => {
    for (const url of [
      "/api/audit/events",
      `/api/audit/persons/${seoulCase.personId}/history`,
      `/api/audit/review?month=${MONTH}`,
    ]) {
      const response = await fetch(`${system.url}${url}`);
      expect(response.status, url).toBe(401);
    }
  });

  it("forbids non-auditors and audits the attempt", async () => {
    for (const [role, client] of Object.entries(nonAuditors)) {
      for (const url of [
        "/api/audit/events",
        `/api/audit/events?personId=${busanCase.personId}`,
        `/api/audit/persons/${seoulCase.personId}/history`,
        `/api/audit/persons/${busanCase.personId}/history`,
        `/api/audit/review?month=${MONTH}`,
      ]) {
        const before = await countAuditEvents(system);
        const response = await client.request("GET", url);
        const text = await response.text();

        expect(response.status, `${role} ${url}`).toBe(403);
        expect(text, `${role} ${url}`).not.toContain("case.view");
        expect(await countAuditEvents(system), `${role} ${url}`).toBe(
          before + 1,
        );
      }
    }

    const denied = await system.store.db
      .selectFrom("audit_events")
      .select(["action", "actor_username"])
      .where("action", "like", "audit.%")
      .where("result", "=", "denied")
      .execute();
    expect(denied).toHaveLength(15);
    expect(new Set(denied.map((event) => event.actor_username))).toEqual(
      new Set(["seoul.investigator", "office.admin", "police.approver"]),
    );
  });

  it("filters events by actor, action and result", async () => {
    const body = await getJson<EventPage>(
      auditor,
      "/api/audit/events?actor=seoul.investigator&action=case.view&result=denied",
    );
    const event = body.items[0];

    expect(body.total).toBe(1);
    expect(event?.occurredAt).toBe("2025-03-04T01:00:00.000Z");
    expect(event?.account.username).toBe("seoul.investigator");
    expect(event?.account.role).toBe("investigator");
    expect(event?.account.organisation?.name).toBe("Seoul health office");
    expect(event?.sourceAddress).toBe("127.0.0.1");
    expect(event?.case).toEqual({ id: busanCase.id, caseNumber: "B-1" });
    expect(event?.person).toEqual({
      id: busanCase.personId,
      label: "Case B-1",
    });
    expect(event?.detail["reason"]).toBe("jurisdiction");
  });

  it("filters events by person and case", async () => {
    const byPerson = await getJson<EventPage>(
      auditor,
      `/api/audit/events?personId=${busanCase.personId}&from=2025-03-01&to=2025-03-31`,
    );
    const byCase = await getJson<EventPage>(
      auditor,
      `/api/audit/events?caseId=${busanCase.id}&action=case.view&from=2025-03-01&to=2025-03-31`,
    );

    // Busan 1, 4, 6 and 8 March, the denied Seoul view and the national agency's view.
    expect(byPerson.total).toBe(6);
    expect(
      byPerson.items.every((e) => e.person?.id === busanCase.personId),
    ).toBe(true);
    expect(byCase.total).toBe(6);
    expect(byCase.items.every((e) => e.case?.id === busanCase.id)).toBe(true);
  });

  it("filters events by Seoul calendar day", async () => {
    const sixth = await getJson<EventPage>(
      auditor,
      "/api/audit/events?from=2025-03-06&to=2025-03-06",
    );
    const first = await getJson<EventPage>(
      auditor,
      "/api/audit/events?from=2025-03-01&to=2025-03-01",
    );

    expect(sixth.items.map((e) => e.occurredAt)).toEqual([
      "2025-03-06T11:00:00.000Z",
      "2025-03-06T10:59:00.000Z",
      "2025-03-05T23:00:00.000Z",
      "2025-03-05T22:59:00.000Z",
    ]);
    expect(first.items.map((e) => e.occurredAt)).toEqual([
      "2025-02-28T15:30:00.000Z",
    ]);
  });

  it("filters actions by prefix", async () => {
    const body = await getJson<EventPage>(
      auditor,
      "/api/audit/events?action=session.*&result=failed",
    );
    expect(body.total).toBe(9);
    expect(new Set(body.items.map((e) => e.action))).toEqual(
      new Set(["session.login"]),
    );
  });

  it("pages events newest first", async () => {
    const url =
      "/api/audit/events?actor=bulk.investigator&action=case.view&pageSize=20";
    const first = await getJson<EventPage>(auditor, `${url}&page=1`);
    const last = await getJson<EventPage>(auditor, `${url}&page=3`);
    const ids = [...first.items, ...last.items].map((e) => e.id);

    expect(first.total).toBe(BULK_CASES);
    expect(first.items).toHaveLength(20);
    expect(last.items).toHaveLength(BULK_CASES - 40);
    expect(last.page).toBe(3);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("rejects invalid search filters", async () => {
    for (const url of [
      "/api/audit/events?from=2025-02-30",
      "/api/audit/events?from=2025-03-10&to=2025-03-01",
      "/api/audit/events?result=maybe",
      "/api/audit/events?pageSize=501",
      "/api/audit/events?unknown=1",
      "/api/audit/review",
      "/api/audit/review?month=2025-13",
      "/api/audit/review?month=2025-3",
    ]) {
      await expectStatus(auditor, url, 400);
    }
  });

  it("audits every search", async () => {
    const before = await countAuditEvents(system);
    await getJson<EventPage>(
      auditor,
      `/api/audit/events?personId=${seoulCase.personId}`,
    );
    const last = await system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const detail = JSON.parse(last.detail) as {
      filters: Record<string, string>;
      total: number;
    };

    expect(await countAuditEvents(system)).toBe(before + 1);
    expect(last.action).toBe("audit.search");
    expect(last.result).toBe("allowed");
    expect(last.actor_username).toBe("auditor");
    expect(last.person_id).toBeNull();
    expect(detail.filters).toEqual({ personId: seoulCase.personId });
    expect(detail.total).toBeGreaterThan(0);
  });

  it("lists a person's history newest first", async () => {
    const history = await getJson<EventPage & { person: unknown }>(
      auditor,
      `/api/audit/persons/${seoulCase.personId}/history`,
    );

    expect(history.person).toEqual({
      id: seoulCase.personId,
      label: "Case S-1",
    });
    expect(
      history.items.map((e) => [e.occurredAt, e.account.username, e.action]),
    ).toEqual([
      ["2025-03-06T10:59:00.000Z", "seoul.investigator", "case.view"],
      ["2025-03-05T23:00:00.000Z", "seoul.investigator", "case.view"],
      ["2025-03-05T22:59:00.000Z", "seoul.investigator", "movement.view"],
      ["2025-03-05T12:30:00.000Z", "seoul.investigator", "case.view"],
      ["2025-03-04T01:00:00.000Z", "national.investigator", "case.view"],
      ["2025-03-04T01:00:00.000Z", "seoul.investigator", "movement.view"],
      ["2025-03-04T01:00:00.000Z", "seoul.investigator", "case.view"],
      ["2025-02-20T01:00:00.000Z", "seoul.investigator", "case.create"],
    ]);
    expect(history.total).toBe(8);
  });

  it("excludes other persons from history", async () => {
    const history = await getJson<EventPage>(
      auditor,
      `/api/audit/persons/${busanCase.personId}/history`,
    );
    const again = await getJson<EventPage>(
      auditor,
      `/api/audit/persons/${busanCase.personId}/history`,
    );

    // Creation, 1, 4 (three views), 6 and 8 March, and 1 April.
    expect(history.total).toBe(8);
    expect(
      history.items.every((e) => e.person?.id === busanCase.personId),
    ).toBe(true);
    expect(again.total).toBe(history.total);
  });

  it("returns 404 for an unknown person", async () => {
    await expectStatus(
      auditor,
      "/api/audit/persons/00000000-0000-4000-8000-000000000000/history",
      404,
    );
  });

  it("reviews the month with its settings", async () => {
    const review = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );
    const inMonth = await system.store.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("occurred_at", ">=", Date.parse("2025-03-01T00:00:00+09:00"))
      .where("occurred_at", "<", Date.parse("2025-04-01T00:00:00+09:00"))
      .executeTakeFirstOrThrow();

    expect(review.month).toBe(MONTH);
    expect(review.timeZone).toBe("Asia/Seoul");
    expect(review.startsAt).toBe("2025-02-28T15:00:00.000Z");
    expect(review.endsAt).toBe("2025-03-31T15:00:00.000Z");
    expect(review.eventCount).toBe(Number(inMonth.n));
    expect(review.settings).toEqual({
      bulkPersonsPerDay: 50,
      workdayStart: "08:00",
      workdayEnd: "20:00",
      weekendDays: ["sat", "sun"],
    });
  });

  it("reviews bulk views above the limit", async () => {
    const review = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );

    expect(review.bulkViews).toHaveLength(1);
    expect(review.bulkViews[0]?.account.username).toBe("bulk.investigator");
    expect(review.bulkViews[0]?.date).toBe("2025-03-05");
    expect(review.bulkViews[0]?.distinctPersons).toBe(BULK_CASES);
    expect(review.bulkViews[0]?.events).toBe(BULK_CASES);
  });

  it("reviews access outside working hours", async () => {
    const review = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );
    const rows = review.outsideHours.items.map((item) => [
      item.account.username,
      item.date,
      item.weekend,
      item.events,
      item.firstAt,
    ]);

    expect(review.outsideHours.events).toBe(5);
    expect(rows).toEqual([
      ["busan.investigator", "2025-03-01", true, 1, "2025-02-28T15:30:00.000Z"],
      [
        "seoul.investigator",
        "2025-03-05",
        false,
        1,
        "2025-03-05T12:30:00.000Z",
      ],
      [
        "seoul.investigator",
        "2025-03-06",
        false,
        1,
        "2025-03-05T22:59:00.000Z",
      ],
      [
        "busan.investigator",
        "2025-03-06",
        false,
        1,
        "2025-03-06T11:00:00.000Z",
      ],
      ["busan.investigator", "2025-03-08", true, 1, "2025-03-08T02:00:00.000Z"],
    ]);
  });

  it("reviews access to other jurisdictions", async () => {
    const review = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );
    const rows = review.foreignCases.items.map((item) => [
      item.account.username,
      item.result,
      item.case.caseNumber,
      item.case.organisation.name,
      item.person.label,
      item.events,
    ]);

    expect(review.foreignCases.denied).toBe(1);
    expect(review.foreignCases.allowed).toBe(2);
    expect(rows).toEqual([
      [
        "seoul.investigator",
        "denied",
        "B-1",
        "Busan health office",
        "Case B-1",
        1,
      ],
      [
        "national.investigator",
        "allowed",
        "S-1",
        "Seoul health office",
        "Case S-1",
        1,
      ],
      [
        "national.investigator",
        "allowed",
        "B-1",
        "Busan health office",
        "Case B-1",
        1,
      ],
    ]);
  });

  it("reviews failed and locked logins", async () => {
    const review = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );
    const rows = review.failedLogins.items.map((item) => [
      item.account.username,
      item.failures,
      item.reasons,
      item.locks,
      item.sourceAddresses,
    ]);

    expect(review.failedLogins.failures).toBe(9);
    expect(review.failedLogins.locks).toBe(1);
    expect(rows).toEqual([
      [
        "locked.investigator",
        6,
        { wrong_password: 5, locked: 1 },
        1,
        ["127.0.0.1"],
      ],
      ["seoul.investigator", 2, { wrong_password: 2 }, 0, ["127.0.0.1"]],
      ["(unknown)", 1, { unknown_user: 1 }, 0, ["127.0.0.1"]],
    ]);
  });

  it("reviews an empty exports section", async () => {
    const review = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );
    expect(review.exports).toEqual({ missingReason: 0, items: [] });
  });

  it("audits every review", async () => {
    const before = await countAuditEvents(system);
    await getJson<Review>(auditor, `/api/audit/review?month=${MONTH}`);
    const last = await system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();

    expect(await countAuditEvents(system)).toBe(before + 1);
    expect(last.action).toBe("audit.review");
    expect(last.result).toBe("allowed");
    expect(JSON.parse(last.detail)).toMatchObject({ month: MONTH });
  });

  it("sends auditors no personal data", async () => {
    for (const url of [
      "/api/audit/events?pageSize=500",
      `/api/audit/persons/${seoulCase.personId}/history`,
      `/api/audit/persons/${busanCase.personId}/history`,
      `/api/audit/review?month=${MONTH}`,
    ]) {
      const response = await auditor.request("GET", url);
      const text = await response.text();
      expect(response.status, url).toBe(200);
      for (const value of PERSONAL_DATA) {
        expect(text, `${url} contains ${value}`).not.toContain(value);
      }
    }
  });

  it("prints the review on the command line", async () => {
    const api = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );
    const json = await runCommandLine(system, [
      "audit",
      "review",
      "--month",
      MONTH,
      "--json",
    ]);
    const text = await runCommandLine(system, [
      "audit",
      "review",
      "--month",
      MONTH,
    ]);

    expect(JSON.parse(json)).toEqual(api);
    expect(text).toContain(
      "Bulk views, more than 50 distinct persons in a day: 1",
    );
    expect(text).toContain(
      "Access to cases of another jurisdiction: 1 denied, 2 allowed",
    );
    expect(text).toContain("Failed logins: 9, account locks: 1");
    for (const value of PERSONAL_DATA) {
      expect(text).not.toContain(value);
    }
  });

  it("lists exports with their stated reasons", async () => {
    // No route exports data yet, so the two exports are appended directly.
    const actor = {
      userId: null,
      username: "seoul.investigator",
      role: "investigator",
      organisationId: null,
      sourceAddress: "127.0.0.1",
    };
    setSeoulTime("2025-03-20T10:00:00");
    await appendAuditEvent(system.store.db, {
      actor,
      action: "movement.export",
      result: "allowed",
      caseId: seoulCase.id,
      personId: seoulCase.personId,
      purpose: "contact tracing of cluster 12",
    });
    await appendAuditEvent(system.store.db, {
      actor,
      action: "case.export",
      result: "allowed",
      caseId: seoulCase.id,
      personId: seoulCase.personId,
    });
    setSeoulTime("2025-04-02T10:00:00");

    const review = await getJson<Review>(
      auditor,
      `/api/audit/review?month=${MONTH}`,
    );
    const rows = review.exports.items.map((item) => [
      item.action,
      item.purpose,
      item.reasonMissing,
      item.person?.label,
    ]);

    expect(review.exports.missingReason).toBe(1);
    expect(rows).toEqual([
      ["movement.export", "contact tracing of cluster 12", false, "Case S-1"],
      ["case.export", null, true, "Case S-1"],
    ]);
    expect(review.outsideHours.events).toBe(5);
  });
});

describe("review settings", () => {
  it("reads thresholds from the environment", () => {
    const settings = readReviewSettings({
      EPITRACE_AUDIT_BULK_PERSONS_PER_DAY: "120",
      EPITRACE_AUDIT_WORKDAY_START: "07:30",
      EPITRACE_AUDIT_WORKDAY_END: "24:00",
      EPITRACE_AUDIT_WEEKEND_DAYS: "sun, fri,sun",
    });
    expect(settings).toEqual({
      bulkPersonsPerDay: 120,
      workdayStartMinute: 450,
      workdayEndMinute: 1440,
      weekendDays: [0, 5],
    });
    expect(readReviewSettings({ EPITRACE_AUDIT_WEEKEND_DAYS: "none" })).toEqual(
      expect.objectContaining({ weekendDays: [] }),
    );
  });

  it("rejects invalid thresholds", () => {
    for (const env of [
      { EPITRACE_AUDIT_BULK_PERSONS_PER_DAY: "0" },
      { EPITRACE_AUDIT_BULK_PERSONS_PER_DAY: "ten" },
      { EPITRACE_AUDIT_WORKDAY_START: "8:00" },
      { EPITRACE_AUDIT_WORKDAY_END: "24:30" },
      { EPITRACE_AUDIT_WORKDAY_START: "09:60" },
      { EPITRACE_AUDIT_WORKDAY_START: "20:00" },
      { EPITRACE_AUDIT_WEEKEND_DAYS: "saturday" },
    ]) {
      expect(() => readReviewSettings(env), JSON.stringify(env)).toThrow(
        /Invalid setting/,
      );
    }
  });
});

async function seedAccounts(system: System): Promise<void> {
  await createOfficeUser(system, SEOUL, "seoul.investigator");
  await createOfficeUser(system, SEOUL, "bulk.investigator");
  await createOfficeUser(system, SEOUL, "locked.investigator");
  await createOfficeUser(system, BUSAN, "busan.investigator");
  await createAccountIn(
    system,
    {
      name: "Korea Disease Control and Prevention Agency",
      kind: "national_agency",
    },
    "national.investigator",
    "investigator",
  );
  await createAccountIn(
    system,
    { name: "Board of Audit", kind: "audit_office" },
    "auditor",
    "auditor",
  );
  await createAccountIn(
    system,
    { name: "Second operator", kind: "system_operator" },
    "office.admin",
    "administrator",
  );
  await createAccountIn(
    system,
    { name: "National Police Agency", kind: "police" },
    "police.approver",
    "police_approver",
  );
}

/**
 * Runs `epitrace audit …` in this process on the test system's data folder
 * and returns what it printed.
 */
async function runCommandLine(system: System, args: string[]): Promise<string> {
  const program = new Command("epitrace").exitOverride();
  registerAuditCommand(program);
  registerAuditReviewCommand(program);

  const written: string[] = [];
  const write = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  vi.stubEnv("EPITRACE_DATA_DIR", system.dataDir);
  try {
    await program.parseAsync(["node", "epitrace", ...args]);
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  return written.join("");
}
