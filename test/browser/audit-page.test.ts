import fs from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createOrganisation } from "../../src/accounts/index.js";
import { en } from "../../src/web/i18n/en.js";
import { ko } from "../../src/web/i18n/ko.js";
import {
  buildWebAppWhenSourcesChanged,
  collectNonLoopbackRequests,
  koreanBrowserContext,
  launchChromium,
  SCREENSHOT_DIR,
} from "../support/browser.js";
import {
  createAccount,
  createOfficeUser,
  signIn,
  startTestSystem,
  TEST_PASSWORD,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

const PERSON_NAMES = ["홍길동", "김철수"];

/**
 * A browser zone 16 or 17 hours behind Seoul: a page that showed times in
 * the browser's zone would show other days and hours than these tests expect.
 */
const CONTEXT_OPTIONS = koreanBrowserContext(1000);

describe("auditor pages in Chromium", () => {
  let system: System;
  let browser: Browser;
  let seoulPersonId: string;

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
    // The seeding moves the clock by weeks, and its sessions must outlast that.
    system = await startTestSystem({
      sessionIdleMinutes: 60 * 24 * 90,
      sessionMaxHours: 24 * 90,
    });
    seoulPersonId = await seedEvents(system);

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it("searches the log and opens a history", async () => {
    const context = await browser.newContext(CONTEXT_OPTIONS);
    const outside = collectNonLoopbackRequests(context);
    const page = await context.newPage();

    await signInAsAuditor(page, system.url);
    expect(await page.locator(".topbar nav").innerText()).not.toContain(
      ko["nav.cases"],
    );

    await page.fill('input[name="actor"]', "seoul.investigator");
    await page.fill('input[name="from"]', "2025-03-01");
    await page.fill('input[name="to"]', "2025-03-31");
    await page.click('form[role="search"] button[type="submit"]');
    await page.waitForURL(/actor=seoul.investigator/);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-row"]').length === 5,
    );

    const rows = page.locator('[data-testid="audit-row"]');
    expect(await rows.nth(0).innerText()).toContain("2025-03-10 (월) 23:00:00");
    expect(await rows.nth(4).innerText()).toContain("2025-03-04 (화) 10:00:00");
    expect(await page.locator('[data-testid="audit-total"]').innerText()).toBe(
      ko["audit.range"]
        .replace("{total}", "5")
        .replace("{from}", "1")
        .replace("{to}", "5"),
    );

    await page
      .locator(".audit-person-link", { hasText: "Case S-1" })
      .first()
      .click();
    await page.waitForURL(`**/audit/persons/${seoulPersonId}`);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-row"]').length === 3,
    );
    expect(
      await page.locator('[data-testid="history-title"]').innerText(),
    ).toBe(ko["audit.history.title"].replace("{label}", "Case S-1"));

    expectNoPersonNames(await page.locator("body").innerText());
    await context.close();
    expect(outside).toEqual([]);
  });

  it("shows the monthly review", async () => {
    const context = await browser.newContext(CONTEXT_OPTIONS);
    const outside = collectNonLoopbackRequests(context);
    const page = await context.newPage();
    await signInAsAuditor(page, system.url);

    await page.click(`.topbar nav >> text=${ko["nav.auditReview"]}`);
    await page.waitForURL("**/audit/review");
    await page.fill('input[name="month"]', "2025-03");
    await page.click('.audit-review form button[type="submit"]');
    await page.waitForURL("**/audit/review?month=2025-03");
    await page.locator('[data-testid="review-summary"]').waitFor();

    const section = (name: string) =>
      page.locator(`[data-testid="review-${name}"]`);
    const rowsOf = (name: string) =>
      section(name).locator('[data-testid="review-row"]');

    expect(await rowsOf("bulk").count()).toBe(0);
    expect(await section("bulk").innerText()).toContain(
      ko["audit.review.none"],
    );

    expect(await rowsOf("outside-hours").count()).toBe(1);
    expect(await rowsOf("outside-hours").innerText()).toContain(
      "2025-03-05 (수)",
    );
    expect(await rowsOf("outside-hours").innerText()).toContain(
      "2025-03-05 (수) 21:30:00",
    );

    expect(await rowsOf("foreign-cases").count()).toBe(1);
    const foreign = await rowsOf("foreign-cases").innerText();
    expect(foreign).toContain(ko["audit.result.denied"]);
    expect(foreign).toContain("B-1");
    expect(foreign).toContain("Busan health office");

    expect(await rowsOf("exports").count()).toBe(0);

    expect(await rowsOf("failed-logins").count()).toBe(1);
    const logins = await rowsOf("failed-logins").innerText();
    expect(logins).toContain("seoul.investigator");
    expect(logins).toContain(`${ko["audit.loginReason.wrong_password"]} 2`);

    expectNoPersonNames(await page.locator("body").innerText());
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "audit-review-2025-03.png"),
      fullPage: true,
    });

    await page.click('.language-switch button[lang="en"]');
    await page.locator("h1", { hasText: en["audit.review.title"] }).waitFor();
    expect(await rowsOf("outside-hours").innerText()).toContain(
      "2025-03-05 (Wed) 21:30:00",
    );

    await context.close();
    expect(outside).toEqual([]);
  });
});

/**
 * Seeds a month of audit events through the API with the process clock set
 * to Seoul times in March 2025, and returns the person id of the Seoul case.
 * The clock is real again when it returns.
 */
async function seedEvents(system: System): Promise<string> {
  await createOfficeUser(system, "11", "seoul.investigator");
  await createOfficeUser(system, "21", "busan.investigator");
  const office = await createOrganisation(system.store.db, {
    name: "Board of Audit",
    kind: "audit_office",
  });
  // The auditor role has no personal-data action, so it signs in with the
  // password alone, which the login form supports.
  await createAccount(system, {
    organisationId: office.id,
    username: "auditor",
    role: "auditor",
    enrolSecondFactor: false,
  });

  vi.useFakeTimers({ toFake: ["Date"] });
  try {
    setSeoulTime("2025-02-20T10:00:00");
    const seoul = await signIn(system, "seoul.investigator");
    const busan = await signIn(system, "busan.investigator");
    const seoulCase = await createCase(seoul, "S-1", "홍길동");
    const busanCase = await createCase(busan, "B-1", "김철수");

    setSeoulTime("2025-03-04T10:00:00");
    await view(seoul, seoulCase.id);
    await view(seoul, busanCase.id);
    setSeoulTime("2025-03-05T21:30:00");
    await view(seoul, seoulCase.id);

    setSeoulTime("2025-03-10T23:00:00");
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${system.url}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          username: "seoul.investigator",
          password: "wrong-password-1",
        }),
      });
      expect(response.status).toBe(401);
    }
    return seoulCase.personId;
  } finally {
    vi.useRealTimers();
  }
}

function setSeoulTime(local: string): void {
  vi.setSystemTime(new Date(`${local}+09:00`));
}

async function createCase(
  client: ApiClient,
  caseNumber: string,
  name: string,
): Promise<{ id: string; personId: string }> {
  const response = await client.request("POST", "/api/cases", {
    caseNumber,
    person: { name },
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

async function view(client: ApiClient, caseId: string): Promise<void> {
  const response = await client.request("GET", `/api/cases/${caseId}`);
  await response.body?.cancel();
}

/** Signs in through the login form and waits for the audit search, the auditors' first screen. */
async function signInAsAuditor(
  page: Awaited<ReturnType<BrowserContext["newPage"]>>,
  baseUrl: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="username"]', "auditor");
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/audit(\?|$)/);
  await page.locator('input[name="actor"]').waitFor();
}

function expectNoPersonNames(text: string): void {
  for (const name of PERSON_NAMES) {
    expect(text, `page shows ${name}`).not.toContain(name);
  }
}
