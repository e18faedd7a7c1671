// A salesperson in the field logs an activity on a 375 px wide phone: no step may scroll sideways.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiCall, apiToken, fieldCell, launchBrowser, openFromMenu, openPage, PHONE, pickLookup, screenshot, signIn, uniqueSuffix } from "../browser";

const SALESPERSON = "chenjing";
const customerName = `手机拜访客户-${uniqueSuffix()}`;
const subject = `电话回访-${uniqueSuffix()}`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  const token = await apiToken(SALESPERSON);
  const created = await apiCall(token, "POST", "/api/objects/customer/records", { name: customerName });
  if (created.status !== 201) throw new Error(`customer not created: ${JSON.stringify(created.body)}`);
});
afterAll(async () => {
  await browser?.close();
});

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe("activity logging on a phone", () => {
  it("logs an activity at 375 px without horizontal scrolling", async () => {
    const page = await openPage(browser, PHONE);
    await signIn(page, SALESPERSON);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    await openFromMenu(page, "销售管理", "行动");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole("button", { name: /新\s*建/ }).click();
    await fieldCell(page, "subject").locator("input").fill(subject);
    await fieldCell(page, "activity_type").locator(".ant-select").click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "客户挖掘" }).first().click();
    await pickLookup(page, "customer_id", customerName.slice(0, 6), customerName);
    await screenshot(page, "phone-activity-form");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.getByRole("button", { name: /保\s*存/ }).click();
    await page.waitForURL(/\/o\/activity\/r\//);
    await fieldCell(page, "subject").waitFor();
    await screenshot(page, "phone-activity-detail");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    // Lists become cards on a phone.
    await openFromMenu(page, "销售管理", "行动");
    await expect.poll(() => page.locator(".record-card-list").textContent()).toContain(subject);
    expect(await page.locator(".record-card-list").textContent()).toContain(customerName);
    await screenshot(page, "phone-activity-list");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.context().close();
  });
});
