import fs from "node:fs";
import path from "node:path";

import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { seoulDateOf } from "../../src/domain/index.js";
import { ko } from "../../src/web/i18n/ko.js";
import {
  createOfficeUser,
  freshTotpCode,
  REPO_ROOT,
  signIn,
  startTestSystem,
  TEST_PASSWORD,
  totpSecretOf,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const WEB_DIR = path.join(REPO_ROOT, "src/web");
const WEB_BUILD_INDEX = path.join(REPO_ROOT, "dist/web/index.html");
const SCREENSHOT_DIR = path.join(REPO_ROOT, "test-results");
const REASON = "Hand-over to the Gyeonggi office";

/** Flags for Debian's Chromium: no sandbox (the test runs as root) and no background traffic. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--use-angle=swiftshader",
  "--enable-unsafe-swiftshader",
];

describe("export dialog in Chromium", () => {
  let system: System;
  let browser: Browser;
  let caseId: string;

  beforeAll(async () => {
    await buildWebAppIfStale();
    system = await startTestSystem({ loginAttemptsPerMinute: 1000 });
    await createOfficeUser(system, "11", "export.seoul");
    await createOfficeUser(system, "21", "export.busan");
    const seoul = await signIn(system, "export.seoul");
    const created = await seoul.request("POST", "/api/cases", {
      caseNumber: "EXP-WEB-1",
      person: { name: "한지민" },
    });
    caseId = ((await created.json()) as { id: string }).id;
    await seoul.request("POST", `/api/cases/${caseId}/visits`, {
      placeName: "Library",
      latitude: 37.5665,
      longitude: 126.978,
      visitDate: seoulDateOf(Date.now() - 86_400_000),
    });

    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  async function logIn(page: Page, username: string): Promise<void> {
    await page.goto(`${system.url}/login`);
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', TEST_PASSWORD);
    await page.click('button[type="submit"]');
    await page.locator('input[name="code"]').waitFor();
    const secret = totpSecretOf(system, username) ?? "";
    await page.fill('input[name="code"]', await freshTotpCode(secret));
    await page.click('button[type="submit"]');
    await page.locator('input[name="q"]').waitFor();
  }

  it("downloads the movements with a reason", async () => {
    const context = await browser.newContext({
      locale: "ko-KR",
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await logIn(page, "export.seoul");
    await page.goto(`${system.url}/cases/${caseId}`);

    await page.click('[data-testid="export-open"]');
    const dialog = page.locator('[data-testid="export-dialog"]');
    await dialog.waitFor();
    await page.click('[data-testid="export-download"]');
    const blankError = await dialog.getByRole("alert").textContent();
    const blankEvents = await exportEvents();

    await dialog.locator('textarea[name="reason"]').fill(REASON);
    await dialog.locator('select[name="format"]').selectOption("geojson");
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "export-dialog.png"),
    });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('[data-testid="export-download"]'),
    ]);
    const file = await download.path();
    const collection = JSON.parse(fs.readFileSync(file, "utf8")) as {
      features: unknown[];
    };
    const events = await exportEvents();
    const dialogOpen = await dialog.isVisible();
    await context.close();

    expect(blankError).toBe(ko["export.reasonMissing"]);
    expect(dialogOpen).toBe(false);
    expect(download.suggestedFilename()).toBe(
      "case-EXP-WEB-1-movements.geojson",
    );
    expect(collection.features).toHaveLength(1);
    expect(blankEvents).toEqual([]);
    expect(events.map((event) => event.purpose)).toEqual([REASON]);
  }, 120_000);

  it("shows no export of another office's case", async () => {
    const context = await browser.newContext({ locale: "ko-KR" });
    const page = await context.newPage();
    await logIn(page, "export.busan");
    await page.goto(`${system.url}/cases/${caseId}`);
    await page.locator('[data-testid="case-not-found"]').waitFor();
    const buttons = await page.locator('[data-testid="export-open"]').count();
    await context.close();

    expect(buttons).toBe(0);
  }, 120_000);

  async function exportEvents() {
    return system.store.db
      .selectFrom("audit_events")
      .select(["purpose", "result"])
      .where("action", "=", "case.export")
      .where("result", "=", "allowed")
      .execute();
  }
});

/** Builds the web app when dist/web is missing or older than a file in src/web. */
async function buildWebAppIfStale(): Promise<void> {
  const builtAt = fs.existsSync(WEB_BUILD_INDEX)
    ? fs.statSync(WEB_BUILD_INDEX).mtimeMs
    : 0;
  const sources = fs.readdirSync(WEB_DIR, {
    recursive: true,
    withFileTypes: true,
  });
  const stale = sources.some(
    (entry) =>
      entry.isFile() &&
      fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs > builtAt,
  );
  if (stale) {
    await build({
      configFile: path.join(WEB_DIR, "vite.config.ts"),
      logLevel: "warn",
    });
  }
}
