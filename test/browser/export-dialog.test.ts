import fs from "node:fs";
import path from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { seoulDateOf } from "../../src/domain/index.js";
import { ko } from "../../src/web/i18n/ko.js";
import {
  buildWebAppWhenSourcesChanged,
  launchChromium,
  logInThroughForm,
  SCREENSHOT_DIR,
} from "../support/browser.js";
import {
  createOfficeUser,
  signIn,
  startTestSystem,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const REASON = "Hand-over to the Gyeonggi office";

describe("export dialog in Chromium", () => {
  let system: System;
  let browser: Browser;
  let caseId: string;

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
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

    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  function logIn(page: Page, username: string): Promise<void> {
    return logInThroughForm(page, system, username, 'input[name="q"]');
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
