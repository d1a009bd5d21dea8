import { createHash } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createOrganisation } from "../../src/accounts/index.js";
import { commandLineActor } from "../../src/audit/index.js";
import { seoulDateOf } from "../../src/domain/index.js";
import { EXPORT_REASON_MAX_LENGTH } from "../../src/exports/index.js";
import { purgeCase } from "../../src/retention/index.js";
import {
  createAccount,
  createOfficeUser,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const REASON = "Hand-over to the Gyeonggi office for contact tracing";
const PERSON_NAME = "최수민";
const PLACE_NAME = '=HYPERLINK("x") 카페';

interface Feature {
  type: string;
  geometry: { type: string; coordinates: number[] } | null;
  properties: Record<string, unknown>;
}

describe("case exports", () => {
  let system: System;
  let seoul: ApiClient;
  let busan: ApiClient;
  let auditor: ApiClient;
  let caseId: string;

  beforeAll(async () => {
    system = await startTestSystem({ loginAttemptsPerMinute: 1000 });
    await createOfficeUser(system, "11", "export.seoul");
    await createOfficeUser(system, "21", "export.busan");
    const office = await createOrganisation(system.store.db, {
      name: "Export test audit office",
      kind: "audit_office",
    });
    await createAccount(system, {
      organisationId: office.id,
      username: "export.auditor",
      role: "auditor",
    });
    seoul = await signIn(system, "export.seoul");
    busan = await signIn(system, "export.busan");
    auditor = await signIn(system, "export.auditor");

    const created = await seoul.request("POST", "/api/cases", {
      caseNumber: "EXP-1",
      person: { name: PERSON_NAME },
    });
    expect(created.status).toBe(201);
    caseId = ((await created.json()) as { id: string }).id;
    for (const visit of [
      { placeName: PLACE_NAME, latitude: 37.5665, longitude: 126.978 },
      { placeName: "Bakery, Mapo", latitude: 37.55, longitude: 126.91 },
    ]) {
      const response = await seoul.request(
        "POST",
        `/api/cases/${caseId}/visits`,
        { ...visit, visitDate: seoulDateOf(Date.now() - 86_400_000) },
      );
      expect(response.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await system?.close();
  });

  async function exportEvents() {
    return system.store.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "case.export")
      .orderBy("id")
      .execute();
  }

  it("returns the movements as CSV", async () => {
    const before = (await exportEvents()).length;
    const response = await seoul.request(
      "POST",
      `/api/cases/${caseId}/exports`,
      { format: "csv", reason: REASON },
    );
    const body = Buffer.from(await response.arrayBuffer());
    const lines = body
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .split("\r\n");

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "text/csv; charset=utf-8",
    );
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="case-EXP-1-movements.csv"',
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(lines[0]).toMatch(/^case_number,ordinal,type,/);
    expect(lines).toHaveLength(4);
    expect(body.toString("utf8")).toContain('"\'=HYPERLINK(""x"") 카페"');
    expect(body.toString("utf8")).toContain('"Bakery, Mapo"');

    const events = await exportEvents();
    expect(events).toHaveLength(before + 1);
    const event = events.at(-1);
    const detail = JSON.parse(event?.detail ?? "{}") as Record<string, unknown>;
    expect(event?.result).toBe("allowed");
    expect(event?.actor_username).toBe("export.seoul");
    expect(event?.case_id).toBe(caseId);
    expect(event?.person_id).not.toBeNull();
    expect(event?.purpose).toBe(REASON);
    expect(detail.format).toBe("csv");
    expect(detail.movements).toBe(2);
    expect(detail.sha256).toBe(createHash("sha256").update(body).digest("hex"));
  });

  it("returns the movements as GeoJSON", async () => {
    const response = await seoul.request(
      "POST",
      `/api/cases/${caseId}/exports`,
      { format: "geojson", reason: REASON },
    );
    const collection = (await response.json()) as {
      type: string;
      features: Feature[];
    };

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/geo+json");
    expect(collection.type).toBe("FeatureCollection");
    expect(collection.features).toHaveLength(2);
    expect(collection.features[0]?.geometry).toEqual({
      type: "Point",
      coordinates: [126.978, 37.5665],
    });
    expect(collection.features[0]?.properties.ordinal).toBe(1);
  });

  it("rejects a blank or too long reason", async () => {
    const before = (await exportEvents()).length;
    const blank = await seoul.request("POST", `/api/cases/${caseId}/exports`, {
      format: "csv",
      reason: "   ",
    });
    const long = await seoul.request("POST", `/api/cases/${caseId}/exports`, {
      format: "csv",
      reason: "x".repeat(EXPORT_REASON_MAX_LENGTH + 1),
    });
    const missing = await seoul.request(
      "POST",
      `/api/cases/${caseId}/exports`,
      { format: "csv" },
    );

    expect(blank.status).toBe(400);
    expect(await blank.text()).toMatch(/Missing export reason/);
    expect(long.status).toBe(400);
    expect(await long.text()).toMatch(/at most 500/);
    expect(missing.status).toBe(400);
    expect(await exportEvents()).toHaveLength(before);
  });

  it("hides a case of another jurisdiction", async () => {
    const response = await busan.request(
      "POST",
      `/api/cases/${caseId}/exports`,
      { format: "csv", reason: REASON },
    );
    const text = await response.text();
    const event = (await exportEvents()).at(-1);

    expect(response.status).toBe(404);
    expect(text).not.toContain(PERSON_NAME);
    expect(text).not.toContain("Bakery");
    expect(event?.actor_username).toBe("export.busan");
    expect(event?.result).toBe("denied");
  });

  it("rejects a role without the export right", async () => {
    const response = await auditor.request(
      "POST",
      `/api/cases/${caseId}/exports`,
      { format: "csv", reason: REASON },
    );
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain("Bakery");
  });

  it("lists exports in the monthly review", async () => {
    const month = seoulDateOf(Date.now()).slice(0, 7);
    const response = await auditor.request(
      "GET",
      `/api/audit/review?month=${month}`,
    );
    const review = (await response.json()) as {
      exports: {
        missingReason: number;
        items: {
          action: string;
          result: string;
          purpose: string;
          detail: Record<string, unknown>;
        }[];
      };
    };
    const allowed = review.exports.items.filter(
      (item) => item.action === "case.export" && item.result === "allowed",
    );

    expect(response.status).toBe(200);
    expect(allowed.map((item) => item.purpose)).toEqual([REASON, REASON]);
    expect(allowed.map((item) => item.detail.format)).toEqual([
      "csv",
      "geojson",
    ]);
    expect(review.exports.missingReason).toBe(0);
  });

  it("lists exports in the destruction certificate", async () => {
    const kase = await system.store.db
      .selectFrom("cases")
      .selectAll()
      .where("id", "=", caseId)
      .executeTakeFirstOrThrow();
    const events = (await exportEvents()).filter(
      (event) => event.result === "allowed",
    );
    const certificate = await purgeCase(
      {
        store: system.store,
        keys: system.app.services.keys,
        dataDir: system.dataDir,
        actor: commandLineActor("purge"),
      },
      kase,
      { authority: "Export test decision", dryRun: true },
    );

    expect(certificate.copiesOutsideSystem).toEqual(
      events.map((event) => {
        const detail = JSON.parse(event.detail) as Record<string, unknown>;
        return {
          auditEventId: Number(event.id),
          action: "case.export",
          occurredAt: new Date(Number(event.occurred_at)).toISOString(),
          actorUsername: "export.seoul",
          purpose: REASON,
          format: detail.format,
          sha256: detail.sha256,
        };
      }),
    );
    expect(certificate.copiesOutsideSystem).toHaveLength(2);
  });
});
