import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  countAuditEvents,
  createOfficeUser,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const SEOUL = "11";
const BUSAN = "21";

describe("case API", () => {
  let system: System;
  let seoul: ApiClient;
  let busan: ApiClient;
  let seoulCaseId: string;
  let busanCaseId: string;

  beforeAll(async () => {
    system = await startTestSystem();
    await createOfficeUser(system, SEOUL, "seoul.investigator");
    await createOfficeUser(system, BUSAN, "busan.investigator");
    seoul = await signIn(system, "seoul.investigator");
    busan = await signIn(system, "busan.investigator");

    const created = await seoul.request("POST", "/api/cases", {
      caseNumber: "S-0001",
      person: { name: "홍길동", sex: "male", birthYear: 1980 },
      province: "Seoul",
      symptomOnsetDate: "2020-03-01",
      confirmedDate: "2020-03-05",
    });
    seoulCaseId = ((await created.json()) as { id: string }).id;
    const other = await busan.request("POST", "/api/cases", {
      caseNumber: "B-0001",
      person: { name: "김철수" },
      province: "Busan",
      confirmedDate: "2020-03-06",
    });
    busanCaseId = ((await other.json()) as { id: string }).id;
  });

  afterAll(async () => {
    await system.close();
  });

  it("rejects personal data without a session", async () => {
    for (const url of [
      "/api/cases",
      `/api/cases/${seoulCaseId}`,
      `/api/cases/${seoulCaseId}/movements`,
    ]) {
      const response = await fetch(`${system.url}${url}`);
      expect(response.status, url).toBe(401);
    }
  });

  it("lists only the cases of the own office", async () => {
    const response = await seoul.request("GET", "/api/cases");
    const body = (await response.json()) as {
      items: { caseNumber: string }[];
      total: number;
    };

    expect(response.status).toBe(200);
    expect(body.total).toBe(1);
    expect(body.items.map((c) => c.caseNumber)).toEqual(["S-0001"]);
  });

  it("shows a case of the own office with its person", async () => {
    const response = await seoul.request("GET", `/api/cases/${seoulCaseId}`);
    const body = (await response.json()) as {
      person: { name: string };
      confirmedDate: string;
    };

    expect(response.status).toBe(200);
    expect(body.person.name).toBe("홍길동");
    expect(body.confirmedDate).toBe("2020-03-05");
  });

  it("hides a case of another office as not found", async () => {
    for (const url of [
      `/api/cases/${busanCaseId}`,
      `/api/cases/${busanCaseId}/movements`,
    ]) {
      const response = await seoul.request("GET", url);
      const text = await response.text();
      expect(response.status, url).toBe(404);
      expect(text).not.toContain("김철수");
      expect(text).not.toContain("2020-03-06");
    }
    const patch = await seoul.request("PATCH", `/api/cases/${busanCaseId}`, {
      testDate: "2020-03-04",
    });
    expect(patch.status).toBe(404);
    const visit = await seoul.request(
      "POST",
      `/api/cases/${busanCaseId}/visits`,
      {
        placeName: "시장",
        latitude: 35.1,
        longitude: 129.0,
        visitDate: "2020-03-03",
      },
    );
    expect(visit.status).toBe(404);
  });

  it("writes exactly one audit event per call on personal data", async () => {
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/cases"],
      ["GET", `/api/cases/${seoulCaseId}`],
      ["GET", `/api/cases/${seoulCaseId}/movements`],
      ["GET", `/api/cases/${busanCaseId}`],
      ["PATCH", `/api/cases/${seoulCaseId}`, { testDate: "2020-03-04" }],
      [
        "POST",
        `/api/cases/${seoulCaseId}/visits`,
        {
          placeName: "약국",
          latitude: 37.57,
          longitude: 126.98,
          visitDate: "2020-03-02",
        },
      ],
    ];
    for (const [method, url, body] of calls) {
      const before = await countAuditEvents(system);
      await seoul.request(method, url, body);
      expect(await countAuditEvents(system), `${method} ${url}`).toBe(
        before + 1,
      );
    }
  });

  it("records the denied view of a foreign case", async () => {
    await seoul.request("GET", `/api/cases/${busanCaseId}`);
    const last = await system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();

    expect(last.action).toBe("case.view");
    expect(last.result).toBe("denied");
    expect(last.actor_username).toBe("seoul.investigator");
    expect(last.case_id).toBe(busanCaseId);
    expect(last.source_address).toBe("127.0.0.1");
  });

  it("adds interview visits in time order", async () => {
    const timed = await seoul.request(
      "POST",
      `/api/cases/${seoulCaseId}/visits`,
      {
        placeName: "카페",
        latitude: 37.5665,
        longitude: 126.978,
        startedAt: "2020-03-02T14:30:00+09:00",
        endedAt: "2020-03-02T15:00:00+09:00",
      },
    );
    expect(timed.status).toBe(201);

    const response = await seoul.request(
      "GET",
      `/api/cases/${seoulCaseId}/movements`,
    );
    const body = (await response.json()) as {
      items: {
        placeName: string;
        visitDate: string | null;
        startedAt: string | null;
        dwellMinutes: number | null;
      }[];
    };
    const cafe = body.items.find((m) => m.placeName === "카페");

    expect(body.items.map((m) => m.placeName)).toEqual(["약국", "카페"]);
    expect(cafe?.startedAt).toBe("2020-03-02T05:30:00.000Z");
    expect(cafe?.dwellMinutes).toBe(30);
  });

  it("rejects a visit whose departure precedes its arrival", async () => {
    const response = await seoul.request(
      "POST",
      `/api/cases/${seoulCaseId}/visits`,
      {
        placeName: "식당",
        latitude: 37.5,
        longitude: 127.0,
        startedAt: "2020-03-02T15:00:00+09:00",
        endedAt: "2020-03-02T14:00:00+09:00",
      },
    );
    const body = (await response.json()) as {
      error: { code: string; message: string };
    };

    expect(response.status).toBe(400);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toContain("before the arrival");
  });

  it("rejects an invalid calendar date", async () => {
    const response = await seoul.request("PATCH", `/api/cases/${seoulCaseId}`, {
      isolationDate: "2020-02-30",
    });
    expect(response.status).toBe(400);
  });

  it("closes a case once", async () => {
    const first = await seoul.request(
      "POST",
      `/api/cases/${seoulCaseId}/close`,
      { closedDate: "2020-03-20" },
    );
    const detail = (await first.json()) as {
      status: string;
      closedDate: string;
    };
    const second = await seoul.request(
      "POST",
      `/api/cases/${seoulCaseId}/close`,
      {},
    );

    expect(first.status).toBe(200);
    expect(detail.status).toBe("closed");
    expect(detail.closedDate).toBe("2020-03-20");
    expect(second.status).toBe(409);
  });

  it("rejects a duplicate case number", async () => {
    const response = await seoul.request("POST", "/api/cases", {
      caseNumber: "S-0001",
      person: {},
    });
    expect(response.status).toBe(409);
  });
});
