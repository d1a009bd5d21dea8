import fs from "node:fs";
import path from "node:path";

import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ko } from "../../src/web/i18n/ko.js";
import {
  PLACES,
  seedRouteScenario,
  SEOUL,
  type RouteScenario,
} from "../support/route-scenario.js";
import {
  createOfficeUser,
  REPO_ROOT,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const WEB_SOURCE_DIR = path.join(REPO_ROOT, "src/web");
const BUILT_INDEX = path.join(REPO_ROOT, "dist/web/index.html");
const SCREENSHOT_DIR = path.join(REPO_ROOT, "test-results");

/** A browser zone 17 hours behind Seoul, so that times shown in the browser's zone would differ. */
const CONTEXT_OPTIONS = {
  viewport: { width: 1440, height: 1400 },
  locale: "ko-KR",
  timezoneId: "America/Los_Angeles",
} as const;

/** Debian's Chromium as root, no background traffic, WebGL in software so that MapLibre draws. */
const LAUNCH_ARGS = [
  "--no-sandbox",
  "--no-first-run",
  "--disable-gpu",
  "--disable-quic",
  "--disable-sync",
  "--disable-background-networking",
  "--disable-component-update",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
];

describe("case route on the case page in Chromium", () => {
  let system: System;
  let browser: Browser;
  let world: RouteScenario;
  let sessionCookie: string;

  beforeAll(async () => {
    await buildWebIfChanged();
    system = await startTestSystem();
    world = await seedRouteScenario(system);
    await createOfficeUser(system, SEOUL, "seoul.investigator");
    sessionCookie = await sessionCookieOf(
      await signIn(system, "seoul.investigator"),
    );
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: LAUNCH_ARGS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function signedInContext(): Promise<BrowserContext> {
    const context = await browser.newContext(CONTEXT_OPTIONS);
    const [name, value] = sessionCookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: system.url }]);
    return context;
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

/** Returns the session cookie that a signed-in API client sends. */
async function sessionCookieOf(client: ApiClient): Promise<string> {
  const original = globalThis.fetch;
  let cookie: string | null = null;
  globalThis.fetch = (input, init) => {
    cookie = new Headers(init?.headers).get("cookie");
    return original(input, init);
  };
  try {
    const response = await client.request("GET", "/api/session");
    await response.body?.cancel();
  } finally {
    globalThis.fetch = original;
  }
  if (cookie === null) {
    throw new Error("The signed-in client sent no session cookie.");
  }
  return cookie;
}

function collectNonLoopbackRequests(context: BrowserContext): string[] {
  const outside: string[] = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    const isLocal =
      url.protocol === "data:" ||
      url.protocol === "blob:" ||
      url.hostname === "127.0.0.1";
    if (!isLocal) {
      outside.push(request.url());
    }
  });
  return outside;
}

/** Runs the Vite build when dist/web is missing or older than any file in src/web. */
async function buildWebIfChanged(): Promise<void> {
  const builtAt = fs.existsSync(BUILT_INDEX)
    ? fs.statSync(BUILT_INDEX).mtimeMs
    : 0;
  const changed = fs
    .readdirSync(WEB_SOURCE_DIR, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .some(
      (entry) =>
        fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs > builtAt,
    );
  if (changed) {
    await build({
      configFile: path.join(WEB_SOURCE_DIR, "vite.config.ts"),
      logLevel: "warn",
    });
  }
}
