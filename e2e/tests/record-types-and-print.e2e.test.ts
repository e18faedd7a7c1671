// Lead types with their own templates (SPEC D1) and printing a quote from its record (issue 4 item 6, issue 6 item 4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { apiCall, apiToken, BASE_URL, fieldCell, launchBrowser, openFromMenu, openPage, screenshot, signIn, uniqueSuffix } from "../browser";

const SALESPERSON = "chenjing";
const sectionTitles = (page: import("playwright-core").Page) => page.locator(".ant-card-head-title").allTextContents();

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("record type templates and print", () => {
  it("a new lead switches to the 商机线索 template when that type is chosen, and keeps it once saved", async () => {
    const page = await openPage(browser);
    await signIn(page, SALESPERSON);
    await openFromMenu(page, "营销管理", "线索");
    await page.getByRole("button", { name: /新\s*建/ }).click();
    await fieldCell(page, "name").waitFor();
    // 客户线索 is the default type: its template has the company block and no requirement block.
    expect(await sectionTitles(page)).toContain("公司信息");
    expect(await sectionTitles(page)).not.toContain("需求信息");
    expect(await fieldCell(page, "estimated_amount").count()).toBe(0);

    await fieldCell(page, "lead_type").locator(".ant-select").click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "商机线索" }).click();
    await expect.poll(() => sectionTitles(page)).toContain("需求信息");
    expect(await sectionTitles(page)).not.toContain("公司信息");
    const name = `管道防腐项目-${uniqueSuffix()}`;
    await fieldCell(page, "name").locator("input").fill(name);
    await fieldCell(page, "estimated_amount").locator("input").fill("120000");
    await screenshot(page, "lead-opportunity-template");
    await page.getByRole("button", { name: /保\s*存/ }).click();
    await page.waitForURL(/\/o\/lead\/r\//);
    await expect.poll(() => sectionTitles(page)).toContain("需求信息");

    const token = await apiToken(SALESPERSON);
    const saved = await apiCall(token, "GET", `/api/objects/lead/records/${page.url().split("/r/")[1]}`);
    expect(saved.body).toMatchObject({ name, lead_type: "opportunity", estimated_amount: 120000 });
    await page.context().close();
  });

  it("a salesperson prints a quote: the template opens with the amount in Chinese capitals", async () => {
    const token = await apiToken(SALESPERSON);
    const customer = await apiCall(token, "POST", "/api/objects/customer/records", { name: `报价打印客户-${uniqueSuffix()}` });
    expect(customer.status).toBe(201);
    const inventory = await apiCall(token, "GET", "/api/objects/inventory/records?limit=1");
    const item = (inventory.body as { records: { id: string }[] }).records[0];
    const quote = await apiCall(token, "POST", "/api/objects/quote/records", {
      customer_id: (customer.body as { id: string }).id,
      quote_date: "2026-11-20",
      status: "draft",
      lines: [{ inventory_id: item.id, quantity: 2, unit_price: 1234.5 }],
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);

    const page = await openPage(browser);
    await signIn(page, SALESPERSON);
    await page.goto(`${BASE_URL}/o/quote/r/${(quote.body as { id: string }).id}`);
    // A roll-up (the lines' total) is kept by the server: shown, never editable.
    await fieldCell(page, "total_amount").waitFor();
    expect(await fieldCell(page, "total_amount").locator("input:not([disabled])").count()).toBe(0);
    const [printed] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: /打\s*印/ }).click()]);
    await printed.waitForLoadState();
    const body = (await printed.textContent("body")) ?? "";
    expect(body).toContain("报价单");
    expect(body).toContain("贰仟肆佰陆拾玖元整");
    await screenshot(printed, "quote-print");
    await page.context().close();
  });
});
