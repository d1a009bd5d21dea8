import fs from "node:fs";
import path from "node:path";

import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "playwright-core";
import { build } from "vite";

import type { RunningSystem } from "../../src/server/index.js";
import {
  freshTotpCode,
  REPO_ROOT,
  TEST_PASSWORD,
  totpSecretOf,
  type ApiClient,
} from "./system.js";

const WEB_DIR = path.join(REPO_ROOT, "src/web");
const WEB_BUILD_INDEX = path.join(REPO_ROOT, "dist/web/index.html");

/** Folder the browser tests write their screenshots to. */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, "test-results");

/**
 * Flags for Debian's Chromium: no sandbox (the tests run as root), no
 * background traffic, and WebGL through SwiftShader's software renderer so
 * that MapLibre draws without a GPU.
 */
export const CHROMIUM_ARGS = [
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

/**
 * Returns context options for a Korean browser in a time zone far behind
 * Seoul, so that times shown in the browser's own zone would differ.
 */
export function koreanBrowserContext(
  viewportHeight: number,
): BrowserContextOptions {
  return {
    viewport: { width: 1440, height: viewportHeight },
    locale: "ko-KR",
    timezoneId: "America/Los_Angeles",
  };
}

/** Builds the web app when dist/web is missing or older than any file under src/web. */
export async function buildWebAppWhenSourcesChanged(): Promise<void> {
  const builtAt = fs.existsSync(WEB_BUILD_INDEX)
    ? fs.statSync(WEB_BUILD_INDEX).mtimeMs
    : 0;
  const stale = fs
    .readdirSync(WEB_DIR, { recursive: true, withFileTypes: true })
    .some(
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

/** Creates the screenshot folder and launches the system's Chromium with CHROMIUM_ARGS. */
export async function launchChromium(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

/**
 * Appends to `into` every request of the context that goes anywhere but the
 * loopback server (data: and blob: URLs count as local), and returns `into`.
 */
export function collectNonLoopbackRequests(
  context: BrowserContext,
  into: string[] = [],
): string[] {
  context.on("request", (request) => {
    const url = new URL(request.url());
    const isLocal =
      url.protocol === "data:" ||
      url.protocol === "blob:" ||
      url.hostname === "127.0.0.1";
    if (!isLocal) into.push(request.url());
  });
  return into;
}

/**
 * Logs in through the login form with TEST_PASSWORD and a TOTP code of the
 * secret the account was created with, then waits for `landing`, a selector
 * of the first page after the login (by default the top bar).
 */
export async function logInThroughForm(
  page: Page,
  system: RunningSystem,
  username: string,
  landing = ".topbar",
): Promise<void> {
  const secret = totpSecretOf(system, username);
  if (secret === undefined) {
    throw new Error(
      `No TOTP secret is recorded for ${username}: create it with createAccount.`,
    );
  }
  await page.goto(`${system.url}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('button[type="submit"]');

  const codeField = page.locator('input[name="code"]');
  await codeField.waitFor();
  await codeField.fill(await freshTotpCode(secret));
  await page.click('button[type="submit"]');
  await page.locator(landing).waitFor();
}

/** Lists that a signed-in page appends its requests off loopback and its uncaught page errors to. */
export interface PageProblems {
  outsideRequests: string[];
  pageErrors: string[];
}

/**
 * Opens a browser context that records requests off loopback and page
 * errors into `problems`, and signs in through the login form.
 */
export async function openSignedInPage(
  browser: Browser,
  system: RunningSystem,
  username: string,
  contextOptions: BrowserContextOptions,
  problems: PageProblems,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(contextOptions);
  collectNonLoopbackRequests(context, problems.outsideRequests);
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.pageErrors.push(error.message));
  await logInThroughForm(page, system, username);
  return { context, page };
}

/** Returns the session cookie (`name=value`) that a signed-in API client sends. */
export async function sessionCookieOf(client: ApiClient): Promise<string> {
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

/** Opens a browser context that sends the session cookie of an API client signed in beforehand. */
export async function contextWithSession(
  browser: Browser,
  system: RunningSystem,
  sessionCookie: string,
  contextOptions: BrowserContextOptions,
): Promise<BrowserContext> {
  const context = await browser.newContext(contextOptions);
  const [name, value] = sessionCookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: system.url }]);
  return context;
}
