import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { en } from "../../src/web/i18n/en.js";
import { ko } from "../../src/web/i18n/ko.js";
import {
  baseStationFile,
  createCase,
  createKey,
  createMember,
  createOrganisationOf,
  providerClient,
  type System,
} from "../requests/fixtures.js";
import {
  buildWebAppWhenSourcesChanged,
  koreanBrowserContext,
  launchChromium,
  openSignedInPage,
  SCREENSHOT_DIR,
} from "../support/browser.js";
import {
  createOfficeUser,
  signIn,
  startTestSystem,
} from "../support/system.js";

const INVESTIGATOR = "seoul.investigator";
const APPROVER = "police.approver";
const CASE_NUMBER = "R-3001";
const PHONE_NUMBER = "010-2345-6789";
const PURPOSE = "Trace the places the case visited while infectious.";

/**
 * A browser zone far behind Seoul, so that a page formatting times in the
 * browser's zone in place of Asia/Seoul would show other days and hours.
 */
const BROWSER_CONTEXT = koreanBrowserContext(1000);

describe("data request pages in Chromium", () => {
  let system: System;
  let browser: Browser;
  let caseId: string;
  let requestId: string;
  let operator: { id: string };
  const outsideRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
    system = await startTestSystem();

    await createOfficeUser(system, "11", INVESTIGATOR);
    const police = await createOrganisationOf(
      system,
      "police",
      "National Police Agency",
    );
    await createMember(system, police, APPROVER, "police_approver");
    operator = await createOrganisationOf(
      system,
      "telecom_operator",
      "SK Telecom",
    );
    const systemOperator = await createOrganisationOf(
      system,
      "system_operator",
      "System operator",
    );
    await createMember(system, systemOperator, "ops.admin", "administrator");
    caseId = await createCase(
      await signIn(system, INVESTIGATOR),
      CASE_NUMBER,
      "홍길동",
    );

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it("creates and submits from case page", async () => {
    const { context, page } = await openSignedIn(browser, INVESTIGATOR);
    await page.goto(`${system.url}/cases/${caseId}`);

    await page.click('[data-testid="request-new"]');
    const form = page.locator('[data-testid="request-form"]');
    await form.waitFor();
    expect(await form.locator('input[value="base_station"]').isChecked()).toBe(
      true,
    );
    expect(await form.locator('select[name="legalBasis"]').inputValue()).toBe(
      "76-2(2)",
    );
    await form.locator('input[name="phoneNumber"]').fill(PHONE_NUMBER);
    await form.locator('textarea[name="purpose"]').fill(PURPOSE);

    const created = page.waitForResponse(
      (response) =>
        response.url().endsWith("/api/requests") &&
        response.request().method() === "POST",
    );
    await form.locator('[data-testid="request-create-submit"]').click();
    const createdBody = (await (await created).json()) as { id: string };
    requestId = createdBody.id;

    const row = page.locator(
      `[data-testid="case-request-row"][data-request-id="${requestId}"]`,
    );
    await row
      .locator('[data-state="awaiting_police_approval"]')
      .waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain(
      ko["requestState.awaiting_police_approval"],
    );
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "requests-case-panel.png"),
      fullPage: true,
    });

    await page.goto(`${system.url}/requests`);
    const inboxRow = page.locator(
      `[data-testid="request-row"][data-request-id="${requestId}"]`,
    );
    await inboxRow.waitFor();
    expect(await inboxRow.innerText()).toContain(CASE_NUMBER);
    expect(await inboxRow.getAttribute("class")).toBeNull();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "requests-inbox.png"),
      fullPage: true,
    });

    await context.close();
  });

  it("lets the police approve it", async () => {
    const { context, page } = await openSignedIn(browser, APPROVER);
    await page.waitForURL(/\/approvals$/);

    const row = page.locator(
      `[data-testid="approval-row"][data-request-id="${requestId}"]`,
    );
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain(PURPOSE);
    expect(rowText).toContain(ko["legalBasis.76-2(2)"]);
    expect(rowText).toContain(ko["dataKind.base_station"]);
    expect(rowText).not.toContain(CASE_NUMBER);
    expect(rowText).not.toContain("홍길동");
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "requests-approval-queue.png"),
      fullPage: true,
    });

    await row.locator("a").click();
    await page.waitForURL(`**/approvals/${requestId}`);
    const detail = page.locator('[data-testid="approval-page"]');
    await detail.waitFor();
    expect(await detail.innerText()).not.toContain(CASE_NUMBER);

    await page.click('[data-testid="approval-approve"]');
    const decision = page.locator('[data-testid="approval-approve-form"]');
    await decision
      .locator('textarea[name="reason"]')
      .fill("Legal basis and window checked.");
    await decision.locator('button[type="submit"]').click();
    await detail
      .locator('.request-facts [data-state="sent_to_providers"]')
      .waitFor();
    expect(await page.locator('[data-testid="approval-approve"]').count()).toBe(
      0,
    );
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "requests-approval-decided.png"),
      fullPage: true,
    });

    await context.close();
  });

  it("shows investigator the new state", async () => {
    const { context, page } = await openSignedIn(browser, INVESTIGATOR);
    await page.goto(`${system.url}/requests/${requestId}`);

    const detail = page.locator('[data-testid="request-page"]');
    await detail
      .locator('.request-facts [data-state="sent_to_providers"]')
      .waitFor();
    const parts = detail.locator('[data-testid="request-part"]');
    expect(await parts.count()).toBe(1);
    expect(await parts.first().innerText()).toContain("SK Telecom");
    const transitions = await detail
      .locator('[data-testid="request-transition"]')
      .allInnerTexts();
    expect(transitions.some((text) => text.includes(APPROVER))).toBe(true);
    expect(
      transitions.some((text) =>
        text.includes("Legal basis and window checked."),
      ),
    ).toBe(true);
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "requests-detail.png"),
      fullPage: true,
    });

    await page.click('.language-switch button[lang="en"]');
    await detail
      .locator(".request-facts")
      .getByText(en["requestState.sent_to_providers"])
      .waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "requests-detail-en.png"),
      fullPage: true,
    });

    await context.close();
  });

  it("lets investigator reject an upload", async () => {
    const admin = await signIn(system, "ops.admin");
    const key = await createKey(admin, operator.id);
    const uploaded = await providerClient(system, key.secret).upload(
      requestId,
      "base_station",
      baseStationFile(6, PHONE_NUMBER),
    );
    expect(uploaded.status).toBe(201);

    const { context, page } = await openSignedIn(browser, INVESTIGATOR);
    await page.goto(`${system.url}/requests/${requestId}`);
    const detail = page.locator('[data-testid="request-page"]');
    await detail.locator('.request-facts [data-state="answered"]').waitFor();
    const upload = detail.locator('[data-testid="request-upload"]');
    expect(await upload.count()).toBe(1);
    expect(await upload.innerText()).toContain("6");

    await upload.locator('[data-testid="upload-reject"]').click();
    const decision = upload.locator('[data-testid="upload-reject-form"]');
    await decision.locator('button[type="submit"]').click();
    expect(await decision.getByRole("alert").innerText()).toBe(
      ko["requests.reasonMissing"],
    );
    await decision
      .locator('textarea[name="reason"]')
      .fill("Cells outside the subscriber's area.");
    await decision.locator('button[type="submit"]').click();

    await upload.locator('[data-state="rejected"]').waitFor();
    await detail
      .locator('.request-facts [data-state="sent_to_providers"]')
      .waitFor();
    expect(await upload.innerText()).toContain(
      "Cells outside the subscriber's area.",
    );
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "requests-upload-rejected.png"),
      fullPage: true,
    });

    await context.close();
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  function openSignedIn(target: Browser, username: string) {
    return openSignedInPage(target, system, username, BROWSER_CONTEXT, {
      outsideRequests,
      pageErrors,
    });
  }
});
