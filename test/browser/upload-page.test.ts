import path from "node:path";

import iconv from "iconv-lite";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ko } from "../../src/web/i18n/ko.js";
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

type System = Awaited<ReturnType<typeof startTestSystem>>;

const INVESTIGATOR = "seoul.uploader";

/** A venue visitor list as a Korean spreadsheet saves it: CP949, Korean headers, times of day. */
const VISITOR_LIST = iconv.encode(
  "방문일,입장시간,퇴장시간,업소명,주소,위도,경도\r\n" +
    "2020-05-02,23:40,02:10,이태원 클럽 똠,서울특별시 용산구 이태원로 123,37.5347,126.9946\r\n" +
    "2020-05-03,13:05,13:50,뷁 분식,서울특별시 용산구 이태원로 140,37.5351,126.9952\r\n",
  "cp949",
);

/** A browser zone far behind Seoul, so that times shown in the browser's zone would differ. */
const BROWSER_CONTEXT = koreanBrowserContext(1100);

describe("case upload panel in Chromium", () => {
  let system: System;
  let browser: Browser;
  let caseId: string;
  const outsideRequests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildWebAppWhenSourcesChanged();
    system = await startTestSystem();
    await createOfficeUser(system, "11", INVESTIGATOR);
    const client = await signIn(system, INVESTIGATOR);
    const created = await client.request("POST", "/api/cases", {
      caseNumber: "UP-B-0001",
      person: { name: "업로드환자" },
      province: "Seoul",
      confirmedDate: "2020-05-05",
    });
    caseId = ((await created.json()) as { id: string }).id;

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it("previews and imports a CP949 visitor list", async () => {
    const { context, page } = await openSignedIn(browser, INVESTIGATOR);
    await page.goto(`${system.url}/cases/${caseId}`);
    await page.getByText(ko["movements.empty"]).waitFor();
    expect(await page.locator('[data-testid="timeline-item"]').count()).toBe(0);

    await page.click('[data-testid="open-uploads"]');
    const panel = page.locator('[data-testid="upload-panel"]');
    await panel.waitFor();
    await panel.locator('[data-testid="upload-kind"]').selectOption("checkin");
    const links = panel.locator('[data-testid="upload-templates"] a');
    const hrefs = await links.evaluateAll((anchors) =>
      anchors.map((anchor) => anchor.getAttribute("href")),
    );
    expect(hrefs).toEqual([
      "/api/upload-templates/checkin/schema.v1.json",
      "/api/upload-templates/checkin/header.v1.csv",
      "/api/upload-templates/checkin/sample.v1.csv",
    ]);
    expect(await links.nth(2).getAttribute("download")).toBe(
      "checkin-sample.v1.csv",
    );
    const sample = await context.request.get(`${system.url}${hrefs[2]}`);
    expect(sample.status()).toBe(200);
    expect(sample.headers()["content-disposition"]).toBe(
      'attachment; filename="checkin-sample.v1.csv"',
    );
    await panel.locator('[data-testid="upload-file"]').setInputFiles({
      name: "visitors.csv",
      mimeType: "text/csv",
      buffer: VISITOR_LIST,
    });
    // The first validation is held back, so that the page shows its
    // progress while the server is processing; later ones pass at once.
    let releaseResponse = () => {};
    const held = new Promise<void>((resolve) => {
      releaseResponse = resolve;
    });
    await page.route("**/uploads/validate?*", async (route) => {
      await held;
      await route.continue();
    });
    await panel.locator('[data-testid="upload-validate"]').click();
    const progress = panel.locator('[data-testid="upload-progress"]');
    await progress.waitFor();
    expect(await progress.locator("progress").count()).toBe(1);
    releaseResponse();

    const preview = panel.locator('[data-testid="upload-preview"]');
    await preview.waitFor();
    expect(await progress.count()).toBe(0);
    expect(
      await preview.locator('[data-testid="preview-encoding"]').innerText(),
    ).toBe("cp949");
    expect(
      await preview.locator('[data-testid="preview-records"]').innerText(),
    ).toBe("2");
    expect(
      await preview
        .locator('[data-testid="preview-rows-rejected"]')
        .innerText(),
    ).toBe("0");
    expect(
      await preview.locator('[data-testid="preview-assumed-zone"]').innerText(),
    ).toBe("2");
    expect(
      await preview.locator('[data-testid="upload-verdict"]').innerText(),
    ).toBe(ko["upload.preview.ready"].replace("{records}", "2"));
    const firstPlaces = await preview
      .locator('[data-testid="preview-first-records"] tbody tr')
      .allInnerTexts();
    expect(firstPlaces).toHaveLength(2);
    expect(firstPlaces[0]).toContain("이태원 클럽 똠");
    expect(firstPlaces[1]).toContain("뷁 분식");
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "upload-preview.png"),
      fullPage: true,
    });

    await panel.locator('[data-testid="upload-import"]').click();
    await panel
      .getByText(ko["upload.imported"].replace("{records}", "2"))
      .waitFor();
    const items = page.locator('[data-testid="timeline-item"]');
    await expect.poll(() => items.count()).toBe(2);
    const timeline = await page.locator('[data-testid="timeline"]').innerText();
    expect(timeline).toContain("이태원 클럽 똠");
    expect(timeline).toContain("뷁 분식");

    // The same file again: validated cleanly, then recognised as a repeat.
    await panel.locator('[data-testid="upload-validate"]').click();
    await preview.waitFor();
    await panel.locator('[data-testid="upload-import"]').click();
    await panel.getByText(ko["upload.alreadyImported"]).waitFor();
    expect(await items.count()).toBe(2);

    await context.close();
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("lists the rejected rows of a broken file", async () => {
    const { context, page } = await openSignedIn(browser, INVESTIGATOR);
    await page.goto(`${system.url}/cases/${caseId}`);
    await page.click('[data-testid="open-uploads"]');
    const panel = page.locator('[data-testid="upload-panel"]');
    await panel.locator('[data-testid="upload-kind"]').selectOption("checkin");
    await panel.locator('[data-testid="upload-file"]').setInputFiles({
      name: "broken.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        "방문일,입장시간,업소명\n2020-05-02,25:99,이태원 클럽 똠\n",
        "utf8",
      ),
    });
    await panel.locator('[data-testid="upload-validate"]').click();

    const table = panel.locator('[data-testid="rejected-rows"]');
    await table.waitFor();
    const cells = await table
      .locator("tbody tr")
      .first()
      .locator("td")
      .allInnerTexts();
    expect(cells.slice(0, 4)).toEqual(["broken.csv", "1", "입장시간", "25:99"]);
    expect(cells[5]).not.toBe("");
    expect(
      await panel.locator('[data-testid="upload-import"]').isDisabled(),
    ).toBe(true);

    await context.close();
    expect(pageErrors).toEqual([]);
  });

  function openSignedIn(target: Browser, username: string) {
    return openSignedInPage(target, system, username, BROWSER_CONTEXT, {
      outsideRequests,
      pageErrors,
    });
  }
});
