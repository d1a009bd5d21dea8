import fs from "node:fs";
import path from "node:path";

import type { Kysely } from "kysely";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { importBoundaries } from "../../src/ingest/boundaries/index.js";
import { importDs4c } from "../../src/ingest/ds4c/index.js";
import type { Database } from "../../src/store/index.js";
import { en } from "../../src/web/i18n/en.js";
import { ko } from "../../src/web/i18n/ko.js";
import {
  buildWebAppWhenSourcesChanged,
  collectNonLoopbackRequests,
  contextWithSession,
  koreanBrowserContext,
  launchChromium,
  SCREENSHOT_DIR,
  sessionCookieOf,
} from "../support/browser.js";
import {
  createOfficeUser,
  REPO_ROOT,
  signIn,
  startTestSystem,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const DS4C_DIR = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-covid/ds4c-20200601",
);
const BOUNDARIES_DIR = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-boundaries/kostat-2018",
);

/** The index case, confirmed 2020-02-16, and the patient who shares its days and places. */
const CASE_NUMBER = "1000000013";
const CONTACT_NUMBER = "1000000014";

/**
 * A browser zone 16 or 17 hours behind Seoul: a page that showed times in
 * the browser's zone would show other days and hours than these tests expect.
 */
const CONTEXT_OPTIONS = koreanBrowserContext(1100);

describe("analysis pages in Chromium", () => {
  let system: System;
  let browser: Browser;
  let sessionCookie: string;
  let caseId: string;

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
    system = await startTestSystem();
    await importBoundaries(system.store, [
      path.join(BOUNDARIES_DIR, "skorea-provinces-2018-topo-simple.json"),
      path.join(BOUNDARIES_DIR, "skorea-municipalities-2018-topo-simple.json"),
    ]);
    await importDs4c(system.store, DS4C_DIR);
    caseId = await caseIdOf(system.store.db, CASE_NUMBER);
    await addTimedStays(system.store.db);

    await createOfficeUser(system, "11", "seoul.investigator");
    sessionCookie = await sessionCookieOf(
      await signIn(system, "seoul.investigator"),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  function signedInContext(): Promise<BrowserContext> {
    return contextWithSession(browser, system, sessionCookie, CONTEXT_OPTIONS);
  }

  it("explains and confirms a contact", async () => {
    const context = await signedInContext();
    const outside = collectNonLoopbackRequests(context);
    const page = await context.newPage();

    await page.goto(`${system.url}/cases/${caseId}`);
    const panel = page.locator('[data-testid="contacts-panel"]');
    await panel.locator('[data-testid="contacts-table"]').waitFor();

    expect(await panel.locator("h2").innerText()).toBe(ko["contacts.title"]);
    expect(
      await page.locator('[data-testid="contacts-period"]').innerText(),
    ).toContain("2020-02-14 (금) 00:00 – 2020-02-17 (월) 00:00");
    const timedRows = panel.locator(
      '[data-testid="contacts-table"] [data-testid="contact-row"]',
    );
    expect(await timedRows.count()).toBe(1);
    expect(await timedRows.first().innerText()).toContain(
      `DS4C ${CONTACT_NUMBER}`,
    );
    expect(await timedRows.first().innerText()).toContain("45");

    await timedRows.first().locator('[data-testid="contact-explain"]').click();
    const explanation = panel.locator('[data-testid="contact-explanation"]');
    await explanation.waitFor();
    const pairText = await explanation
      .locator('[data-testid="contact-pair"]')
      .first()
      .innerText();
    expect(pairText).toContain("2020-02-15 (토) 10:00–11:00");
    expect(pairText).toContain("2020-02-15 (토) 10:15–11:30");

    await panel.locator('input[name="reason"]').fill("같은 식당, CCTV 확인");
    const decided = page.waitForResponse(
      (response) =>
        response.request().method() === "POST" &&
        response.url().includes("/contacts/") &&
        response.url().endsWith("/decision"),
    );
    await panel.locator(".decision-form button.primary").click();
    expect((await decided).status()).toBe(201);
    await panel.locator(".decision-confirmed").first().waitFor();
    expect(await panel.locator(".decision-confirmed").first().innerText()).toBe(
      ko["contacts.decision.confirmed"],
    );

    // The same patient's visits on the same days are listed as day-level pairs.
    const explained = await explanation.innerText();
    expect(explained).toContain("2020-02-15 (토)");
    expect(explained).toContain("2020-02-16 (일)");
    expect(
      await page.locator('[data-testid="contact-decision"]').innerText(),
    ).toContain("같은 식당, CCTV 확인");

    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "analysis-contacts.png"),
      fullPage: true,
    });
    await context.close();
    expect(outside).toEqual([]);
  });

  it("draws hotspots and moves the window", async () => {
    const context = await signedInContext();
    const outside = collectNonLoopbackRequests(context);
    const page = await context.newPage();

    const first = page.waitForResponse((response) =>
      response.url().includes("/api/hotspots"),
    );
    await page.goto(`${system.url}/hotspots`);
    expect((await first).status()).toBe(200);
    await page.locator('[data-testid="hotspot-row"]').first().waitFor();
    await page
      .locator('[data-testid="hotspot-map"][data-idle="true"]')
      .waitFor();
    expect(await page.locator(".maplibregl-canvas").count()).toBe(1);
    expect(await page.locator(".map-unavailable").count()).toBe(0);
    const summary = await page
      .locator('[data-testid="hotspot-summary"]')
      .innerText();
    expect(summary).toContain("확진자");
    expect(await page.locator("body").innerText()).not.toContain("DS4C ");

    const moved = page.waitForResponse(
      (response) =>
        response.url().includes("/api/hotspots") &&
        response.url().includes("from=2020-02-"),
    );
    await page.fill('input[name="windowFrom"]', "20");
    const url = new URL((await moved).url());
    expect(url.searchParams.get("from")).toMatch(/^2020-02-\d\d$/);
    await page
      .locator('[data-testid="window-label"]', { hasText: "2020-02-" })
      .waitFor();
    await page
      .locator('[data-testid="hotspot-map"][data-idle="true"]')
      .waitFor();

    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "analysis-hotspots.png"),
      fullPage: true,
    });

    const areas = page.waitForResponse(
      (response) =>
        response.url().includes("/api/hotspots?") &&
        response.url().includes("unit=area"),
    );
    await page.selectOption('select[name="unit"]', "area");
    expect((await areas).status()).toBe(200);
    await page
      .locator('[data-testid="hotspot-row"]', { hasText: "구" })
      .first()
      .waitFor();
    await page
      .locator('[data-testid="hotspot-map"][data-idle="true"]')
      .waitFor();

    const scan = page.waitForResponse((response) =>
      response.url().includes("/api/hotspots/space-time-scan"),
    );
    await page.check('input[name="method"][value="space-time-scan"]');
    const scanResponse = await scan;
    expect(scanResponse.status()).toBe(200);
    const scanUrl = new URL(scanResponse.url());
    expect(scanUrl.searchParams.get("unit")).toBe("area");
    expect(scanUrl.searchParams.get("from")).toMatch(/^2020-02-\d\d$/);
    const clusterRow = page.locator('[data-testid="cluster-row"]').first();
    await clusterRow.waitFor();
    const clusterText = await clusterRow.innerText();
    expect(clusterText).toMatch(/^1\s/);
    expect(clusterText).toContain("2020-");
    expect(await page.locator("body").innerText()).not.toContain("DS4C ");

    const narrowed = page.waitForResponse(
      (response) =>
        response.url().includes("/api/hotspots/space-time-scan") &&
        !response.url().includes(`to=${scanUrl.searchParams.get("to")}`),
    );
    await page.fill('input[name="windowTo"]', "25");
    expect((await narrowed).status()).toBe(200);
    await page
      .locator('[data-testid="hotspot-map"][data-idle="true"]')
      .waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "analysis-scan.png"),
      fullPage: true,
    });
    await page.selectOption('select[name="unit"]', "h3");

    const coLocation = page.waitForResponse(
      (response) =>
        response.url().includes("/api/hotspots") &&
        response.url().includes("method=co-location"),
    );
    await page.check('input[name="method"][value="co-location"]');
    expect((await coLocation).status()).toBe(200);
    await page.click('.language-switch button[lang="en"]');
    await page.locator("h1", { hasText: en["hotspots.title"] }).waitFor();
    await page
      .locator('[data-testid="hotspot-map"][data-idle="true"]')
      .waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "analysis-co-location-en.png"),
      fullPage: true,
    });
    await page.click('.language-switch button[lang="ko"]');
    await context.close();
    expect(outside).toEqual([]);
  });

  it("queries exposure at a picked place", async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    await page.goto(`${system.url}/exposure`);
    await page
      .locator('[data-testid="exposure-map"][data-idle="true"]')
      .waitFor();

    await page.fill('input[name="latitude"]', "37.5665");
    await page.fill('input[name="longitude"]', "126.9780");
    await page.fill('input[name="from"]', "2020-02-15T09:00");
    await page.fill('input[name="to"]', "2020-02-15T13:00");
    const posted = page.waitForRequest(
      (request) =>
        request.method() === "POST" && request.url().endsWith("/api/exposure"),
    );
    await page.click('.exposure-form button[type="submit"]');
    const body = (await posted).postDataJSON() as Record<string, unknown>;
    expect(body["from"]).toBe("2020-02-15T09:00:00+09:00");
    expect(body["radiusMeters"]).toBe(50);

    const rows = page.locator('[data-testid="exposure-row"]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
    expect(
      await page.locator('[data-testid="exposure-table"]').innerText(),
    ).toContain("2020-02-15 (토) 10:");
    await page
      .locator('[data-testid="exposure-map"][data-idle="true"]')
      .waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "analysis-exposure.png"),
      fullPage: true,
    });
    expect(await sourceFeatures(page)).toContain("query:Polygon");

    // Draw a square around the same place, one click per corner.
    await page.check('input[name="placeKind"][value="polygon"]');
    const map = page.locator('[data-testid="exposure-map"]');
    const box = (await map.boundingBox())!;
    const centre = { x: box.width / 2, y: box.height / 2 };
    const corners = [
      [-60, -60],
      [60, -60],
      [60, 60],
      [-60, 60],
    ];
    for (const [dx, dy] of corners) {
      await map.click({ position: { x: centre.x + dx!, y: centre.y + dy! } });
    }
    const square = [...cornerIds(4), "query-polygon:Polygon"];
    expect(await waitForSourceFeatures(page, square)).toBe(square.join(" "));

    await page.click('button[name="undoPoint"]');
    const triangle = [...cornerIds(3), "query-polygon:Polygon"];
    expect(await waitForSourceFeatures(page, triangle)).toBe(
      triangle.join(" "),
    );
    await map.click({ position: { x: centre.x - 60, y: centre.y + 60 } });
    expect(await waitForSourceFeatures(page, square)).toBe(square.join(" "));

    // Two windows: the case is there 10:00 to 11:00, the contact 10:15 to 11:30.
    await page.fill('input[name="from"]', "2020-02-15T09:00");
    await page.fill('input[name="to"]', "2020-02-15T10:30");
    await page.click('button[name="addWindow"]');
    await page.fill('input[name="from-1"]', "2020-02-15T11:00");
    await page.fill('input[name="to-1"]', "2020-02-15T12:00");
    const postedPolygon = page.waitForRequest(
      (request) =>
        request.method() === "POST" && request.url().endsWith("/api/exposure"),
    );
    await page.click('.exposure-form button[type="submit"]');
    const polygonBody = (await postedPolygon).postDataJSON() as {
      polygon: { type: string; coordinates: number[][][] };
      windows: { from: string; to: string }[];
      latitude?: number;
      from?: string;
    };
    const ring = polygonBody.polygon.coordinates[0]!;
    expect(polygonBody.polygon.type).toBe("Polygon");
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]);
    expect(polygonBody.latitude).toBeUndefined();
    expect(polygonBody.from).toBeUndefined();
    expect(polygonBody.windows).toEqual([
      { from: "2020-02-15T09:00:00+09:00", to: "2020-02-15T10:30:00+09:00" },
      { from: "2020-02-15T11:00:00+09:00", to: "2020-02-15T12:00:00+09:00" },
    ]);
    const longitudes = ring.map((position) => position[0]!);
    const latitudes = ring.map((position) => position[1]!);
    expect(Math.min(...longitudes)).toBeLessThan(126.978);
    expect(Math.max(...longitudes)).toBeGreaterThan(126.978);
    expect(Math.min(...latitudes)).toBeLessThan(37.5665);
    expect(Math.max(...latitudes)).toBeGreaterThan(37.5665);
    await page
      .locator('[data-testid="exposure-result"]', { hasText: "다각형" })
      .waitFor();
    expect(await rows.count()).toBe(2);
    expect(
      await page.locator('[data-testid="looser-table"] tbody tr').count(),
    ).toBe(2);
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "analysis-exposure-polygon.png"),
      fullPage: true,
    });

    // A pasted polygon replaces the drawing; invalid text shows an error.
    await page.click('button[name="clearPolygon"]');
    expect(await waitForSourceFeatures(page, [])).toBe("");
    await page.fill('textarea[name="polygon"]', "{");
    await page.locator('.exposure-polygon [role="alert"]').waitFor();
    await page.fill(
      'textarea[name="polygon"]',
      JSON.stringify({
        type: "Feature",
        properties: {},
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [126.9775, 37.5662],
              [126.9785, 37.5662],
              [126.9785, 37.5668],
              [126.9775, 37.5662],
            ],
          ],
        },
      }),
    );
    expect(await waitForSourceFeatures(page, triangle)).toBe(
      triangle.join(" "),
    );
    expect(await page.locator('.exposure-polygon [role="alert"]').count()).toBe(
      0,
    );
    await context.close();
  });

  it("draws known and candidate links", async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    await page.goto(`${system.url}/links`);
    await page.locator('[data-testid="links-summary"]').waitFor();

    await page.selectOption('select[name="province"]', "Seoul");
    await page.locator('[data-testid="known-link-row"]').first().waitFor();
    const graph = page.locator('[data-testid="links-graph"]');
    await graph.waitFor();
    // Seoul has more linked cases than the graph draws, so it shows the cases of known links.
    await page.locator('[data-testid="links-graph-known-only"]').waitFor();
    const edgeCount = (kind: string) =>
      graph.locator(`[data-testid="link-edge-${kind}"]`).count();
    expect(await edgeCount("known")).toBeGreaterThan(0);
    expect(await edgeCount("found")).toBeGreaterThan(0);
    expect(await edgeCount("candidate")).toBeGreaterThan(0);
    const styles = await graph.evaluate((svg) => {
      const dash = (kind: string) =>
        getComputedStyle(
          svg.querySelector(`[data-testid="link-edge-${kind}"]`)!,
        ).strokeDasharray;
      return { known: dash("known"), candidate: dash("candidate") };
    });
    expect(styles.known).toBe("none");
    expect(styles.candidate).not.toBe("none");
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "analysis-links.png"),
      fullPage: true,
    });
    await context.close();
  });
});

/**
 * Returns the session cookie of a client that `signIn` returned, read from
 * a request the client sends, so the test goes through whatever steps
 * `signIn` takes (the second factor included).
 */

async function caseIdOf(
  db: Kysely<Database>,
  caseNumber: string,
): Promise<string> {
  const row = await db
    .selectFrom("cases")
    .select("id")
    .where("case_number", "=", caseNumber)
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Adds GPS stays at Seoul City Hall on 2020-02-15, with a 5 m radius: the
 * index case from 10:00 to 11:00 and the other patient from 10:15 to 11:30.
 * The contacts panel then has a timed contact of 45 minutes.
 */
/** Returns the ids of the corner points of a drawn polygon as the map lists them. */
function cornerIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `corner-${index}:Point`);
}

/** Returns the `id:GeometryType` list of the features in the exposure map's source. */
function sourceFeatures(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      document
        .querySelector('[data-testid="exposure-map"]')
        ?.getAttribute("data-source-features") ?? "",
  );
}

/**
 * Waits up to 10 s until the exposure map's source contains exactly the
 * `expected` features, and returns its feature list, so that a check of
 * the list shows what the map contained when the wait ran out.
 */
async function waitForSourceFeatures(
  page: Page,
  expected: readonly string[],
): Promise<string> {
  const wanted = [...expected].sort().join(" ");
  await page
    .waitForFunction(
      (list) =>
        document
          .querySelector('[data-testid="exposure-map"]')
          ?.getAttribute("data-source-features") === list,
      wanted,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  return sourceFeatures(page);
}

async function addTimedStays(db: Kysely<Database>): Promise<void> {
  const stays = [
    { caseNumber: CASE_NUMBER, from: "10:00", to: "11:00" },
    { caseNumber: CONTACT_NUMBER, from: "10:15", to: "11:30" },
  ];
  for (const stay of stays) {
    const kase = await db
      .selectFrom("cases")
      .select("person_id")
      .where("case_number", "=", stay.caseNumber)
      .executeTakeFirstOrThrow();
    const startedAt = Date.parse(`2020-02-15T${stay.from}:00+09:00`);
    const endedAt = Date.parse(`2020-02-15T${stay.to}:00+09:00`);
    await db
      .insertInto("stays")
      .values({
        person_id: kase.person_id,
        source_kind: "gps",
        method: "{}",
        started_at: startedAt,
        last_fix_at: endedAt,
        finished_at: endedAt,
        latitude: 37.5665,
        longitude: 126.978,
        radius_meters: 5,
        fix_count: 20,
        province_code: null,
        municipality_code: null,
        submunicipality_code: null,
        created_at: Date.now(),
      })
      .execute();
  }
}
