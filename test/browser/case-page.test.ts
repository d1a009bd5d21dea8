import fs from "node:fs";
import path from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { importBoundaries } from "../../src/ingest/boundaries/index.js";
import { importDs4c } from "../../src/ingest/ds4c/index.js";
import { ko } from "../../src/web/i18n/ko.js";
import {
  buildWebAppWhenSourcesChanged,
  collectNonLoopbackRequests,
  koreanBrowserContext,
  launchChromium,
  SCREENSHOT_DIR,
} from "../support/browser.js";
import {
  freshTotpCode,
  REPO_ROOT,
  signIn,
  startTestSystem,
  type ApiClient,
} from "../support/system.js";

type System = Awaited<ReturnType<typeof startTestSystem>>;

interface Movement {
  id: string;
  visitDate: string | null;
  startedAt: string | null;
  latitude: number | null;
}

const DS4C_DIR = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-covid/ds4c-20200601",
);
const BOUNDARIES_DIR = path.resolve(
  REPO_ROOT,
  "../shared/data/korea-boundaries/kostat-2018",
);

const CASE_NUMBER = "1000000013";
const VISIT_COUNT = 17;
/** Another case of the Seoul office, the one the visit form test adds to. */
const OTHER_CASE_NUMBER = "1000000014";

/**
 * The browser runs in a zone 16 or 17 hours behind Seoul, so a page that used the
 * browser's zone in place of Asia/Seoul would show other days and hours.
 */
const BROWSER_CONTEXT = koreanBrowserContext(1100);

/** Passwords the test sets on first login, which follow the server's password rule. */
const ADMIN_PASSWORD = "Admin-password-2020";
const INVESTIGATOR_PASSWORD = "Investigator-pw-2020";

describe("case page in Chromium", () => {
  let system: System;
  let browser: Browser;
  let caseId: string;
  let otherCaseId: string;
  const accounts = { seoul: "", busan: "" };
  const oneTimePasswords = { seoul: "", busan: "" };

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
    system = await startTestSystem();
    await importBoundaries(system.store, [
      path.join(BOUNDARIES_DIR, "skorea-provinces-2018-topo-simple.json"),
      path.join(BOUNDARIES_DIR, "skorea-municipalities-2018-topo-simple.json"),
    ]);
    await importDs4c(system.store, DS4C_DIR);

    const admin = await signInAsBootstrapAdministrator(system);
    const seoul = await createInvestigator(
      admin,
      "seoul.investigator",
      "Seoul health office",
    );
    const busan = await createInvestigator(
      admin,
      "busan.investigator",
      "Busan health office",
    );
    accounts.seoul = seoul.username;
    accounts.busan = busan.username;
    oneTimePasswords.seoul = seoul.oneTimePassword;
    oneTimePasswords.busan = busan.oneTimePassword;

    caseId = await caseIdOf(system, CASE_NUMBER);
    otherCaseId = await caseIdOf(system, OTHER_CASE_NUMBER);

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it("shows every visit on timeline and map", async () => {
    const context = await browser.newContext(BROWSER_CONTEXT);
    const outsideRequests = collectNonLoopbackRequests(context);
    const page = await context.newPage();

    await logInThroughForm(
      page,
      system.url,
      accounts.seoul,
      oneTimePasswords.seoul,
    );
    await page.waitForURL(/\/cases(\?|$)/);

    await page.fill('input[name="q"]', CASE_NUMBER);
    await page.press('input[name="q"]', "Enter");
    const caseLink = page.locator('[data-testid="case-row"] a', {
      hasText: CASE_NUMBER,
    });
    await caseLink.waitFor();
    expect(await page.locator('[data-testid="case-row"]').count()).toBe(1);

    const movementsResponse = page.waitForResponse((response) =>
      response.url().endsWith(`/api/cases/${caseId}/movements`),
    );
    await caseLink.click();
    await page.waitForURL(`**/cases/${caseId}`);
    const movements = (
      (await (await movementsResponse).json()) as { items: Movement[] }
    ).items;
    expect(movements).toHaveLength(VISIT_COUNT);

    const timelineIds = await waitForIds(page, "timeline-item", VISIT_COUNT);
    expect(timelineIds).toEqual(movements.map((movement) => movement.id));
    const timelineDates = timelineIds.map((id) => dateOf(movements, id));
    expect(timelineDates).toEqual([...timelineDates].sort());

    const markerIds = await waitForIds(page, "movement-marker", VISIT_COUNT);
    expect([...markerIds].sort()).toEqual([...timelineIds].sort());
    expect(await page.locator(".map-unavailable").count()).toBe(0);
    expect(
      await page
        .locator('[data-testid="movement-map"] .maplibregl-canvas')
        .count(),
    ).toBe(1);

    await page
      .locator('[data-testid="movement-map"][data-idle="true"]')
      .waitFor();
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `case-${CASE_NUMBER}.png`),
      fullPage: true,
    });

    const firstId = timelineIds[0] as string;
    await page.hover(
      `[data-testid="timeline-item"][data-movement-id="${firstId}"]`,
    );
    const marker = page.locator(
      `[data-testid="movement-marker"][data-movement-id="${firstId}"]`,
    );
    expect(await marker.getAttribute("class")).toContain("highlighted");

    await context.close();
    expect(outsideRequests).toEqual([]);
  });

  it("filters timeline and map by day", async () => {
    const context = await browser.newContext(BROWSER_CONTEXT);
    const page = await context.newPage();
    await logInThroughForm(
      page,
      system.url,
      accounts.seoul,
      INVESTIGATOR_PASSWORD,
    );
    await page.waitForURL(/\/cases(\?|$)/);

    const movementsResponse = page.waitForResponse((response) =>
      response.url().endsWith(`/api/cases/${caseId}/movements`),
    );
    await page.goto(`${system.url}/cases/${caseId}`);
    const movements = (
      (await (await movementsResponse).json()) as { items: Movement[] }
    ).items;
    await waitForIds(page, "timeline-item", VISIT_COUNT);

    const day = "2020-02-08";
    const expected = movements.filter(
      (movement) => dateOf(movements, movement.id) === day,
    );
    expect(expected.length).toBeGreaterThan(0);
    await page.selectOption('[data-testid="day-filter"]', day);

    const timelineIds = await waitForIds(
      page,
      "timeline-item",
      expected.length,
    );
    expect(timelineIds).toEqual(expected.map((movement) => movement.id));
    const markerIds = await waitForIds(
      page,
      "movement-marker",
      expected.length,
    );
    expect([...markerIds].sort()).toEqual([...timelineIds].sort());

    await context.close();
  });

  it("adds an interview visit in Seoul time", async () => {
    const context = await browser.newContext(BROWSER_CONTEXT);
    const page = await context.newPage();
    await logInThroughForm(
      page,
      system.url,
      accounts.seoul,
      INVESTIGATOR_PASSWORD,
    );
    await page.waitForURL(/\/cases(\?|$)/);
    await page.goto(`${system.url}/cases/${otherCaseId}`);
    // The timeline renders all rows at once, when the movements have arrived.
    await page.locator('[data-testid="timeline-item"]').first().waitFor();
    const countBefore = await page
      .locator('[data-testid="timeline-item"]')
      .count();

    await page.fill('input[name="placeName"]', "Interview cafe");
    await page.fill('input[name="latitude"]', "37.5700");
    await page.fill('input[name="longitude"]', "126.9920");
    await page.check('input[name="mode"][value="interval"]');
    await page.fill('input[name="arrival"]', "2020-02-08T10:00");
    await page.fill('input[name="departure"]', "2020-02-08T11:30");

    const posted = page.waitForRequest(
      (request) =>
        request.method() === "POST" &&
        request.url().endsWith(`/api/cases/${otherCaseId}/visits`),
    );
    const answered = page.waitForResponse(
      (response) =>
        response.request().method() === "POST" &&
        response.url().endsWith(`/api/cases/${otherCaseId}/visits`),
    );
    await page.click('.visit-form button[type="submit"]');
    const body = (await posted).postDataJSON() as Record<string, unknown>;
    expect(body["startedAt"]).toBe("2020-02-08T10:00:00+09:00");
    expect(body["endedAt"]).toBe("2020-02-08T11:30:00+09:00");
    expect(body["visitDate"]).toBeUndefined();

    const response = await answered;
    expect(response.status()).toBe(201);
    const created = (await response.json()) as Movement;
    expect(created.startedAt).toBe("2020-02-08T01:00:00.000Z");

    const row = page.locator(
      `[data-testid="timeline-item"][data-movement-id="${created.id}"]`,
    );
    await row.waitFor();
    expect(await row.innerText()).toContain("2020-02-08 (토) 10:00–11:30");
    await waitForIds(page, "timeline-item", countBefore + 1);
    const marker = page.locator(
      `[data-testid="movement-marker"][data-movement-id="${created.id}"]`,
    );
    await marker.waitFor();

    await page.click('.language-switch button[lang="en"]');
    await page.reload();
    await page.locator("text=Movements").first().waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await row.innerText()).toContain("2020-02-08 (Sat) 10:00–11:30");

    await page.click(
      `[data-testid="timeline-item"][data-movement-id="${created.id}"]`,
    );
    await page
      .locator('[data-testid="movement-map"][data-idle="true"]')
      .waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `case-${OTHER_CASE_NUMBER}-en.png`),
      fullPage: true,
    });
    await context.close();
  });

  it("hides the case from another office", async () => {
    const context = await browser.newContext(BROWSER_CONTEXT);
    const page = await context.newPage();
    await logInThroughForm(
      page,
      system.url,
      accounts.busan,
      oneTimePasswords.busan,
    );
    await page.waitForURL(/\/cases(\?|$)/);

    const caseResponse = page.waitForResponse((response) =>
      response.url().endsWith(`/api/cases/${caseId}`),
    );
    const movementStatuses: number[] = [];
    page.on("response", (response) => {
      if (response.url().includes(`/api/cases/${caseId}/movements`)) {
        movementStatuses.push(response.status());
      }
    });
    await page.goto(`${system.url}/cases/${caseId}`);
    expect((await caseResponse).status()).toBe(404);

    const notFound = page.locator('[data-testid="case-not-found"]');
    await notFound.waitFor();
    expect(await notFound.innerText()).toContain(ko["case.notFound"]);

    const text = await page.locator("body").innerText();
    expect(text).not.toContain(CASE_NUMBER);
    for (const date of await seoulCaseDates(system, caseId)) {
      expect(text, `date ${date} of the hidden case`).not.toContain(date);
    }
    expect(await page.locator('[data-testid="timeline-item"]').count()).toBe(0);
    expect(await page.locator('[data-testid="movement-marker"]').count()).toBe(
      0,
    );
    expect(movementStatuses.filter((status) => status === 200)).toEqual([]);

    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "case-other-office.png"),
    });
    await context.close();
  });
});

async function caseIdOf(system: System, caseNumber: string): Promise<string> {
  const row = await system.store.db
    .selectFrom("cases")
    .select("id")
    .where("case_number", "=", caseNumber)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Signs in as the administrator that the first start created and replaces its one-time password. */
async function signInAsBootstrapAdministrator(
  system: System,
): Promise<ApiClient> {
  const bootstrap = system.bootstrap;
  if (bootstrap === null) {
    throw new Error(
      "The test system has no bootstrap administrator, so its store was not empty.",
    );
  }
  const admin = await signIn(
    system,
    bootstrap.username,
    bootstrap.oneTimePassword,
  );
  const changed = await admin.request("POST", "/api/session/password", {
    currentPassword: bootstrap.oneTimePassword,
    newPassword: ADMIN_PASSWORD,
  });
  if (changed.status !== 204) {
    throw new Error(
      `Password change of the administrator failed: ${await changed.text()}`,
    );
  }
  return admin;
}

/** Creates an investigator of the named organisation through the API. */
async function createInvestigator(
  admin: ApiClient,
  username: string,
  organisationName: string,
): Promise<{ username: string; oneTimePassword: string }> {
  const listed = await admin.request("GET", "/api/organisations");
  const { items } = (await listed.json()) as {
    items: { id: string; name: string }[];
  };
  const organisation = items.find((item) => item.name === organisationName);
  if (organisation === undefined) {
    throw new Error(
      `Organisation ${organisationName} not found: the DS4C import should have created it.`,
    );
  }

  const created = await admin.request("POST", "/api/users", {
    username,
    displayName: `${organisationName} investigator`,
    role: "investigator",
    organisationId: organisation.id,
  });
  if (created.status !== 201) {
    throw new Error(
      `Creating user ${username} failed: ${await created.text()}`,
    );
  }
  const body = (await created.json()) as { oneTimePassword: string };
  return { username, oneTimePassword: body.oneTimePassword };
}

/** TOTP secrets that the enrolment page showed, by username. */
const totpSecrets = new Map<string, string>();

/**
 * Logs in through the login form. On the first login, with a one-time
 * password, it also sets INVESTIGATOR_PASSWORD in the form that follows
 * and enrols the TOTP secret that the enrolment page shows. Later logins
 * type a code of that secret.
 */
async function logInThroughForm(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');

  const changeForm = page.locator('input[name="newPassword"]');
  const codeForm = page.locator('input[name="code"]');
  const caseList = page.locator('input[name="q"]');
  await changeForm.or(codeForm).or(caseList).first().waitFor();
  if (await changeForm.isVisible()) {
    await page.fill('input[name="currentPassword"]', password);
    await page.fill('input[name="newPassword"]', INVESTIGATOR_PASSWORD);
    await page.fill('input[name="confirmPassword"]', INVESTIGATOR_PASSWORD);
    await page.click('button[type="submit"]');
    await codeForm.or(caseList).first().waitFor();
  }

  if (await page.locator('[data-testid="totp-secret"]').isVisible()) {
    await enrolThroughForm(page, username);
  } else if (await codeForm.isVisible()) {
    const secret = totpSecrets.get(username);
    if (secret === undefined) {
      throw new Error(
        `The page asks ${username} for a code, but this test never saw the account enrol.`,
      );
    }
    await page.fill('input[name="code"]', await freshTotpCode(secret));
    await page.click('button[type="submit"]');
  }
  await caseList.waitFor();
}

/** Reads the secret off the enrolment page, confirms it with a code and stores away the recovery codes. */
async function enrolThroughForm(page: Page, username: string): Promise<void> {
  const shownSecret = await page
    .locator('[data-testid="totp-secret"]')
    .innerText();
  const secret = shownSecret.replace(/\s/g, "");
  const uri = await page.locator('[data-testid="totp-uri"]').innerText();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(new URL(uri).searchParams.get("secret")).toBe(secret);
  totpSecrets.set(username, secret);

  await page.fill('input[name="code"]', await freshTotpCode(secret));
  await page.click('button[type="submit"]');
  const recoveryCodes = page.locator('[data-testid="recovery-codes"] li');
  await recoveryCodes.first().waitFor();
  expect(await recoveryCodes.count()).toBe(10);
  await page.click('[data-testid="recovery-codes-done"]');
}

/** Waits until exactly `count` elements with the test id exist and returns their movement ids. */
async function waitForIds(
  page: Page,
  testId: string,
  count: number,
): Promise<string[]> {
  const selector = `[data-testid="${testId}"]`;
  await page.waitForFunction(
    ([css, expected]) =>
      document.querySelectorAll(css as string).length === expected,
    [selector, count] as const,
  );
  return page.$$eval(selector, (elements) =>
    elements.map((element) => element.getAttribute("data-movement-id") ?? ""),
  );
}

/** Returns the Seoul calendar day of a movement: its visit date or the day of its start. */
function dateOf(movements: readonly Movement[], id: string): string {
  const movement = movements.find((item) => item.id === id);
  if (movement === undefined) {
    throw new Error(`Movement ${id} is not in the API response.`);
  }
  if (movement.visitDate !== null) {
    return movement.visitDate;
  }
  const start = new Date(movement.startedAt ?? "");
  return new Date(start.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Lists every date of a case and of its visits, as stored. */
async function seoulCaseDates(system: System, id: string): Promise<string[]> {
  const kase = await system.store.db
    .selectFrom("cases")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const visits = await system.store.db
    .selectFrom("location_records")
    .select("visit_date")
    .where("person_id", "=", kase.person_id)
    .execute();
  const dates = [
    kase.symptom_onset_date,
    kase.confirmed_date,
    kase.released_date,
    kase.deceased_date,
    ...visits.map((visit) => visit.visit_date),
  ];
  return [...new Set(dates.filter((date): date is string => date !== null))];
}
