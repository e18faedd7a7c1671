// Shared helpers of the browser tests: Debian chromium through playwright-core, sign-in, screenshots, API calls.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://localhost:3000";
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "screenshots");
export const PASSWORD = "demo123";

/**
 * Chromium 156 loads its own omnibox popup (a WebUI page in a "WebUI Top Renderer" process) for every new browser
 * context: 1.5–2 s of CPU per context, on a 2-core machine taken from the page under test (bench/ui-list's cold visits
 * took twice as long). A user's browser has that renderer running already; the tests and benches leave it out. A
 * second --disable-features replaces playwright-core's own, so its list (playwright-core 1.65's) comes first.
 */
const DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "WebUIOmniboxPopup",
  "PreloadTopChromeWebUI",
];

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--disable-features=${DISABLED_FEATURES.join(",")}`,
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}

export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 375, height: 812 };

export async function openPage(browser: Browser, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "zh-CN", isMobile: viewport.width < 600, hasTouch: viewport.width < 600 });
  return context.newPage();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the login screen and waits for the shell's menu. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(BASE_URL);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: /登\s*录/ }).click();
  await page.locator(".shell-header").waitFor();
}

/** Opens an object from the navigation menu (the drawer on phones). */
export async function openFromMenu(page: Page, moduleLabel: string, objectLabel: string): Promise<void> {
  const drawerButton = page.getByRole("button", { name: "菜单" });
  if (await drawerButton.isVisible()) await drawerButton.click();
  const menu = page.locator(".ant-menu-root").last();
  const item = menu.getByRole("menuitem", { name: objectLabel, exact: true });
  if (!(await item.isVisible())) await menu.getByRole("menuitem", { name: moduleLabel, exact: true }).click();
  await item.click();
  await page.locator(".screen-toolbar h4").waitFor();
}

/** The form item of a field on the detail screen (data-field is set by the field grid). */
export const fieldCell = (page: Page, field: string) => page.locator(`[data-field="${field}"]`);

/** Chooses the first search result of a lookup picker. */
export async function pickLookup(page: Page, field: string, search: string, optionText: string): Promise<void> {
  const cell = fieldCell(page, field);
  await cell.locator(".ant-select").click();
  await cell.locator("input").fill(search);
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: optionText }).first().click();
}

export async function apiToken(username: string): Promise<string> {
  const response = await fetch(`${BASE_URL}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (!response.ok) throw new Error(`login of ${username} failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export async function apiCall(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

/** A suffix that keeps names unique across runs on the same database. */
export const uniqueSuffix = () => Date.now().toString(36).slice(-6);
