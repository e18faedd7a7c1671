// 我的日程: an activity created in the test shows on its day in the month calendar, on a desktop and at 375 px,
// and opens when clicked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiCall, apiToken, launchBrowser, openPage, PHONE, screenshot, signIn, uniqueSuffix } from "../browser";

const SALESPERSON = "chenjing";
const subject = `拜访天津客户-${uniqueSuffix()}`;
let activityId: string;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  const token = await apiToken(SALESPERSON);
  // Today 10:00–11:00 in the browser's (and this process's) time zone.
  const start = new Date();
  start.setHours(10, 0, 0, 0);
  const end = new Date(start.getTime() + 3_600_000);
  const created = await apiCall(token, "POST", "/api/objects/activity/records", { subject, activity_type: "schedule", status: "not_started", start_at: start.toISOString(), end_at: end.toISOString() });
  if (created.status !== 201) throw new Error(`activity not created: ${JSON.stringify(created.body)}`);
  activityId = (created.body as { id: string }).id;
});
afterAll(async () => {
  await browser?.close();
});

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function openCalendar(page: Page): Promise<void> {
  const drawerButton = page.getByRole("button", { name: "菜单" });
  if (await drawerButton.isVisible()) await drawerButton.click();
  await page.locator(".ant-menu-root").last().locator(".ant-menu-item", { hasText: "我的日程" }).click();
  await page.waitForURL(/\/calendar$/);
}

describe("my calendar", () => {
  it("shows the activity on its day in the month and opens it", async () => {
    const page = await openPage(browser);
    await signIn(page, SALESPERSON);
    await openCalendar(page);
    const chip = page.locator(".month-calendar .calendar-item", { hasText: subject });
    await chip.waitFor();
    await screenshot(page, "calendar-month");
    await page.locator(".ant-segmented-item", { hasText: "周" }).click();
    await page.locator(".week-grid .calendar-item", { hasText: subject }).waitFor();
    await screenshot(page, "calendar-week");
    await page.locator(".week-grid .calendar-item", { hasText: subject }).click();
    await page.waitForURL(new RegExp(`/o/activity/r/${activityId}$`));
    await page.context().close();
  });

  it("lists the day's activities under the month at 375 px without horizontal scrolling", async () => {
    const page = await openPage(browser, PHONE);
    await signIn(page, SALESPERSON);
    await openCalendar(page);
    await page.locator(".calendar-day-list .calendar-item", { hasText: subject }).waitFor();
    await screenshot(page, "calendar-phone");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.locator(".calendar-day-list .calendar-item", { hasText: subject }).click();
    await page.waitForURL(/\/o\/activity\/r\//);
    await page.context().close();
  });
});
