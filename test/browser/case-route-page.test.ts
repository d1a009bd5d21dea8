import path from "node:path";

import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ko } from "../../src/web/i18n/ko.js";
import {
  PLACES,
  seedRouteScenario,
  SEOUL,
  type RouteScenario,
} from "../support/route-scenario.js";
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
  signIn,
  startTestSystem,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

/** A browser zone 17 hours behind Seoul, so that times shown in the browser's zone would differ. */
const CONTEXT_OPTIONS = koreanBrowserContext(1400);

describe("case route on the case page in Chromium", () => {
  let system: System;
  let browser: Browser;
  let world: RouteScenario;
  let sessionCookie: string;

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
    system = await startTestSystem();
    world = await seedRouteScenario(system);
    await createOfficeUser(system, SEOUL, "seoul.investigator");
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

  it("shows a merged stay and a conflict", async () => {
    const context = await signedInContext();
    const outside = collectNonLoopbackRequests(context);
    const page = await context.newPage();

    await page.goto(`${system.url}/cases/${world.caseId}`);
    const panel = page.locator('[data-testid="case-route"]');
    const stays = panel.locator('[data-testid="route-stay"]');
    await stays.first().waitFor();

    expect(await panel.locator("h2").innerText()).toBe(ko["route.title"]);
    expect(await stays.count()).toBe(7);

    const pharmacy = stays.and(page.locator('[data-stay-id="stay-2"]'));
    const pharmacyText = await pharmacy.innerText();
    expect(pharmacyText).toContain(PLACES.pharmacy);
    expect(pharmacyText).toContain("2024-03-05 (화) 10:07–10:17");
    expect(
      await pharmacy
        .locator('[data-testid="route-stay-sources"] .tag')
        .allInnerTexts(),
    ).toEqual([ko["source.base_station"], ko["source.card"]]);
    expect(pharmacyText).toContain("신뢰도 76%");

    const restaurant = stays.and(page.locator('[data-stay-id="stay-5"]'));
    expect(await restaurant.innerText()).toContain(PLACES.restaurant);
    expect(
      await restaurant
        .locator('[data-testid="route-stay-sources"] .tag')
        .count(),
    ).toBe(3);

    const conflicts = stays.and(page.locator('[data-conflict="true"]'));
    expect(await conflicts.count()).toBe(2);
    expect(await conflicts.nth(1).innerText()).toContain(PLACES.gallery);
    expect(
      await conflicts
        .first()
        .locator('[data-testid="route-conflict"]')
        .innerText(),
    ).toContain(ko["route.conflict"]);

    const excluded = panel.locator('[data-testid="route-excluded"]');
    expect(await excluded.count()).toBe(1);

    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "case-route.png"),
      fullPage: true,
    });
    expect(outside).toEqual([]);
    await context.close();
  });

  it("shows the hourly slots in Seoul time", async () => {
    const context = await signedInContext();
    const page = await context.newPage();

    await page.goto(`${system.url}/cases/${world.caseId}`);
    const slots = page.locator('[data-testid="time-slot"]');
    await slots.first().waitFor();

    expect(await slots.count()).toBe(24);
    const slotAt = (hour: number) => page.locator(`[data-hour="${hour}"]`);
    expect(await slotAt(8).getAttribute("data-status")).toBe("unknown");
    expect(await slotAt(9).getAttribute("data-stay-id")).toBe("stay-1");
    expect(await slotAt(12).getAttribute("data-stay-id")).toBe("stay-5");
    expect(await slotAt(13).getAttribute("data-stay-id")).toBe("stay-7");
    expect(await slotAt(12).getAttribute("title")).toContain(PLACES.restaurant);
    await context.close();
  });

  it("lists a long empty interval as no data", async () => {
    const client = await signIn(system, "seoul.investigator");
    const created = await client.request("POST", "/api/cases", {
      caseNumber: "GAP-BROWSER",
      person: {},
    });
    const caseId = ((await created.json()) as { id: string }).id;
    const visits = [
      ["집", 37.5665, 126.978, "09:00", "10:00"],
      ["사무실", 37.5172, 127.0473, "18:00", "19:00"],
    ] as const;
    for (const [placeName, latitude, longitude, from, to] of visits) {
      await client.request("POST", `/api/cases/${caseId}/visits`, {
        placeName,
        latitude,
        longitude,
        startedAt: `2024-03-07T${from}:00+09:00`,
        endedAt: `2024-03-07T${to}:00+09:00`,
      });
    }
    const context = await signedInContext();
    const page = await context.newPage();

    await page.goto(`${system.url}/cases/${caseId}`);
    const panel = page.locator('[data-testid="case-route"]');
    const gap = panel.locator('[data-testid="route-gap"]');
    await gap.first().waitFor();

    expect(await gap.count()).toBe(1);
    expect(await gap.innerText()).toContain(ko["route.noData"]);
    expect(await gap.innerText()).toContain("10:00–18:00");
    expect(await panel.locator('[data-testid="route-move"]').count()).toBe(0);
    await context.close();
  });

  it("draws the fused stays on the map", async () => {
    const context = await signedInContext();
    const page = await context.newPage();

    await page.goto(`${system.url}/cases/${world.caseId}`);
    const map = page.locator('[data-testid="route-map"]');
    await page.waitForSelector(
      '[data-testid="route-map"][data-layers-ready="true"]',
    );

    expect(await map.getAttribute("data-stay-count")).toBe("7");
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>(
        '[data-testid="route-map"] canvas',
      );
      return canvas === null ? 0 : canvas.width * canvas.height;
    });
    expect(drawn).toBeGreaterThan(0);
    await context.close();
  });
});
