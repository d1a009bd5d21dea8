import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ko } from "../../src/web/i18n/ko.js";
import {
  personIdOfCase,
  runProviderCommand,
  writeProviderKeyFile,
} from "../support/provider-cli.js";
import {
  baseStationFile,
  cardFile,
  cardRequestBody,
  createCase,
  createKey,
  createRequestWorld,
  createMember,
  locationRequestBody,
  providerClient,
  submitRequest,
  type RequestWorld,
  type System,
} from "../requests/fixtures.js";
import {
  buildWebAppWhenSourcesChanged,
  koreanBrowserContext,
  launchChromium,
  openSignedInPage,
  SCREENSHOT_DIR,
} from "../support/browser.js";
import { startTestSystem } from "../support/system.js";

const ASSOCIATION_CLERK = "crefia.clerk";
const CARD_A_CLERK = "carda.clerk";

describe("data request flow across agencies in Chromium", () => {
  let system: System;
  let world: RequestWorld;
  let browser: Browser;
  let caseId: string;
  let personId: string;
  let locationRequestId: string;
  let cardRequestId: string;
  let workDir: string;
  let sktKeyFile: string;
  const outsideRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
    system = await startTestSystem();
    world = await createRequestWorld(system);
    await createMember(system, world.crefia, ASSOCIATION_CLERK, "provider");
    await createMember(system, world.cardA, CARD_A_CLERK, "provider");
    caseId = await createCase(world.seoul, "F-5001", "이영희");
    personId = await personIdOfCase(system, caseId);

    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "epitrace-flow-"));
    sktKeyFile = path.join(workDir, "skt.key");
    await writeProviderKeyFile(world.admin, world.skt.id, sktKeyFile);

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("takes location and card requests", async () => {
    locationRequestId = await submitRequest(
      world.seoul,
      locationRequestBody(caseId, [world.skt.id]),
    );
    cardRequestId = await submitRequest(world.seoul, cardRequestBody(caseId));
    const movements = await world.seoul.request(
      "GET",
      `/api/cases/${caseId}/movements`,
    );
    const body = (await movements.json()) as { items: unknown[] };
    expect(body.items).toEqual([]);
  });

  it("lets the police approve in the browser", async () => {
    const { context, page } = await openSignedIn("police.approver");
    await page.goto(`${system.url}/approvals/${locationRequestId}`);
    const detail = page.locator('[data-testid="approval-page"]');
    await detail.waitFor();
    expect(await detail.innerText()).not.toContain("F-5001");

    await page.click('[data-testid="approval-approve"]');
    await page
      .locator('[data-testid="approval-approve-form"] button[type="submit"]')
      .click();
    await detail
      .locator('.request-facts [data-state="sent_to_providers"]')
      .waitFor();
    await context.close();
  });

  it("lets the operator answer with the CLI", async () => {
    const pulled = await runProviderCommand([
      "provider",
      "pull",
      "--url",
      system.url,
      "--key-file",
      sktKeyFile,
    ]);
    const parts = pulled
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { requestId: string });
    expect(parts.map((part) => part.requestId)).toEqual([locationRequestId]);

    const file = path.join(workDir, "skt-answer.csv");
    fs.writeFileSync(file, baseStationFile(10));
    const receipt = JSON.parse(
      await runProviderCommand([
        "provider",
        "upload",
        "--url",
        system.url,
        "--key-file",
        sktKeyFile,
        "--request",
        locationRequestId,
        "--kind",
        "base_station",
        file,
      ]),
    ) as { recordCount: number };
    expect(receipt.recordCount).toBe(10);
  });

  it("lets the card association forward in the browser", async () => {
    const { context, page } = await openSignedIn(ASSOCIATION_CLERK);
    await page.goto(`${system.url}/inbox`);
    const row = page.locator(
      `[data-testid="inbox-row"][data-request-id="${cardRequestId}"]`,
    );
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain("HOLDER-7781");
    expect(rowText).not.toContain("이영희");
    expect(rowText).not.toContain("F-5001");

    await row.locator("a").click();
    const forwarding = page.locator('[data-testid="forwarding-page"]');
    await forwarding.waitFor();
    const companies = forwarding.locator('input[name="cardCompanyIds"]');
    await companies.first().waitFor();
    expect(await companies.count()).toBe(2);
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "request-flow-forwarding.png"),
      fullPage: true,
    });
    await forwarding.locator('[data-testid="forward-submit"]').click();
    await forwarding.locator('[data-state="forwarded"]').waitFor();
    await context.close();
  });

  it("takes one card company's file by hand", async () => {
    const { context, page } = await openSignedIn(CARD_A_CLERK);
    await page.goto(`${system.url}/inbox`);
    const row = page.locator(
      `[data-testid="inbox-row"][data-request-id="${cardRequestId}"]`,
    );
    await row.waitFor();
    await row.locator("a").click();

    const partPage = page.locator('[data-testid="provider-part-page"]');
    await partPage.waitFor();
    const form = partPage.locator('[data-testid="upload-form-card"]');
    await form.locator('input[type="file"]').setInputFiles({
      name: "card-a.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(cardFile(3, "Bakery")),
    });
    await form.locator('button[type="submit"]').click();
    await partPage.locator('[data-testid="part-upload"]').waitFor();
    expect(await form.getByRole("status").innerText()).toContain("SHA-256");
    await partPage.locator('.facts [data-state="answered"]').waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "request-flow-upload.png"),
      fullPage: true,
    });
    await context.close();

    const cardB = providerClient(
      system,
      (await createKey(world.admin, world.cardB.id)).secret,
    );
    const uploaded = await cardB.upload(
      cardRequestId,
      "card",
      cardFile(2, "Pharmacy"),
    );
    expect(uploaded.status).toBe(201);
  });

  it("shows the investigator the answers", async () => {
    const { context, page } = await openSignedIn("seoul.investigator");
    await page.goto(`${system.url}/requests/${cardRequestId}`);
    const detail = page.locator('[data-testid="request-page"]');
    await detail.locator('.request-facts [data-state="answered"]').waitFor();
    await detail.locator('[data-testid="request-timing"]').waitFor();
    expect(
      await detail
        .locator('[data-testid="request-time-to-answered"]')
        .innerText(),
    ).not.toBe(ko["common.none"]);

    const count = page.locator('[data-testid="notification-count"]');
    await count.waitFor();
    expect(Number(await count.innerText())).toBeGreaterThanOrEqual(4);
    await page.click('[data-testid="notification-bell"]');
    const notifications = page.locator('[data-testid="notification"]');
    await notifications.first().waitFor();
    const kinds = await notifications.evaluateAll((items) =>
      items.map((item) => item.getAttribute("data-kind")),
    );
    expect(kinds).toContain("request.answer_received");
    expect(kinds).toContain("request.answered");
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "request-flow-notifications.png"),
      fullPage: true,
    });

    await page.goto(`${system.url}/cases/${caseId}`);
    await page.locator('[data-testid="movement-count"]').waitFor();
    await page.locator('[data-testid="route-stay"]').first().waitFor();
    const routeSources = await page
      .locator('[data-testid="route-stay-sources"]')
      .evaluateAll((items) =>
        items.flatMap((item) =>
          (item.getAttribute("data-sources") ?? "").split(" "),
        ),
      );
    expect(routeSources).toContain("base_station");
    expect(routeSources).toContain("card");
    await context.close();

    const movements = await world.seoul.request(
      "GET",
      `/api/cases/${caseId}/movements`,
    );
    const body = (await movements.json()) as {
      items: { sourceKind: string }[];
    };
    const bySource = (kind: string) =>
      body.items.filter((item) => item.sourceKind === kind).length;
    expect(bySource("base_station")).toBe(10);
    expect(bySource("card")).toBe(5);
  });

  it("takes an exposure request from the form", async () => {
    const { context, page } = await openSignedIn("seoul.investigator");
    await page.goto(`${system.url}/cases/${caseId}`);
    await page.click('[data-testid="exposure-new"]');
    const form = page.locator('[data-testid="exposure-request-form"]');
    await form.waitFor();
    await form.locator('input[name="latitude"]').fill("37.5636");
    await form.locator('input[name="longitude"]').fill("126.9869");
    await form
      .locator('textarea[name="purpose"]')
      .fill("Find the people present at the restaurant with the case.");
    const created = page.waitForResponse(
      (response) =>
        response.url().endsWith("/api/requests") &&
        response.request().method() === "POST",
    );
    await form.locator('[data-testid="exposure-create-submit"]').click();
    const body = (await (await created).json()) as {
      id: string;
      exposurePlace: { radiusMeters: number; minDwellMinutes: number };
    };
    expect(body.exposurePlace.radiusMeters).toBe(100);
    expect(body.exposurePlace.minDwellMinutes).toBe(30);

    await page
      .locator(
        `[data-testid="case-request-row"][data-request-id="${body.id}"] [data-state="awaiting_police_approval"]`,
      )
      .waitFor();
    await context.close();
  });

  it("audits every transition", async () => {
    const transitions = await system.store.db
      .selectFrom("data_request_transitions")
      .select(["request_id", "part_id", "from_state", "to_state"])
      .where("request_id", "in", [locationRequestId, cardRequestId])
      .execute();
    const events = await system.store.db
      .selectFrom("audit_events")
      .select(["detail", "person_id"])
      .where("action", "=", "request.transition")
      .execute();
    const audited = events.map((event) => {
      const detail = JSON.parse(event.detail) as Record<string, unknown>;
      return `${String(detail.requestId)} ${String(detail.partId)} ${String(detail.from)} ${String(detail.to)}`;
    });

    expect(transitions.length).toBeGreaterThanOrEqual(16);
    for (const row of transitions) {
      const key = `${row.request_id} ${String(row.part_id)} ${String(row.from_state)} ${row.to_state}`;
      expect(audited, key).toContain(key);
    }
    expect(events.every((event) => event.person_id === personId)).toBe(true);
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  function openSignedIn(username: string) {
    return openSignedInPage(
      browser,
      system,
      username,
      koreanBrowserContext(1000),
      { outsideRequests, pageErrors },
    );
  }
});
