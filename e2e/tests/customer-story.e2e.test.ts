// A salesperson creates a customer and a contact; a 普通客服 then sees that customer read-only without the hidden
// fields, and adds a contact to it from its contacts tab.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { fieldCell, launchBrowser, openFromMenu, openPage, pickLookup, screenshot, signIn, uniqueSuffix } from "../browser";

// 陈静 (天津分公司) owns the customer; 高颖 (普通客服) looks after the Tianjin departments, so she can see it.
const SALESPERSON = "chenjing";
const CUSTOMER_SERVICE = "gaoying";
const customerName = `天津测试化工有限公司-${uniqueSuffix()}`;
const contactName = `王经理-${uniqueSuffix()}`;
const serviceContactName = `李采购-${uniqueSuffix()}`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("customer story", () => {
  it("a salesperson creates a customer and a contact and sees them in the lists", async () => {
    const page = await openPage(browser);
    await signIn(page, SALESPERSON);
    await openFromMenu(page, "销售管理", "客户档案");
    await page.getByRole("button", { name: /新\s*建/ }).click();
    await fieldCell(page, "name").locator("input").fill(customerName);
    await fieldCell(page, "phone").locator("input").fill("022-12345678");
    await screenshot(page, "customer-form");
    await page.getByRole("button", { name: /保\s*存/ }).click();
    await page.waitForURL(/\/o\/customer\/r\//);
    await expect.poll(() => page.locator(".screen-toolbar h4").textContent()).toBe(customerName);

    await openFromMenu(page, "销售管理", "联系人");
    await page.getByRole("button", { name: /新\s*建/ }).click();
    await fieldCell(page, "name").locator("input").fill(contactName);
    await pickLookup(page, "customer_id", customerName.slice(0, 6), customerName);
    await page.getByRole("button", { name: /保\s*存/ }).click();
    await page.waitForURL(/\/o\/contact\/r\//);

    await openFromMenu(page, "销售管理", "联系人");
    // The demo data gives the salesperson more contacts than one page: find the new one by search.
    await page.getByLabel("搜索").fill(contactName);
    await page.getByLabel("搜索").press("Enter");
    await expect.poll(() => page.locator(".ant-table-tbody tr.ant-table-row").count()).toBe(1);
    await expect.poll(() => page.locator(".ant-table-tbody").textContent()).toContain(contactName);
    // The contact's customer column shows the customer's name, not its id.
    expect(await page.locator(".ant-table-tbody").textContent()).toContain(customerName);

    await openFromMenu(page, "销售管理", "客户档案");
    await page.getByLabel("搜索").fill(customerName);
    await page.getByLabel("搜索").press("Enter");
    await expect.poll(() => page.locator(".ant-table-tbody tr.ant-table-row").count()).toBe(1);
    expect(await page.locator(".ant-table-tbody").textContent()).toContain(customerName);
    await screenshot(page, "customer-list");
    await page.context().close();
  });

  it("a 普通客服 sees the customer with every field disabled and the hidden fields absent, but can add a contact", async () => {
    const page = await openPage(browser);
    await signIn(page, CUSTOMER_SERVICE);
    await openFromMenu(page, "销售管理", "客户档案");
    // View only: no 新建 button.
    expect(await page.getByRole("button", { name: /新\s*建/ }).count()).toBe(0);
    await page.getByLabel("搜索").fill(customerName);
    await page.getByLabel("搜索").press("Enter");
    await page.locator(".ant-table-tbody tr.ant-table-row", { hasText: customerName }).click();
    await page.waitForURL(/\/o\/customer\/r\//);
    await fieldCell(page, "name").waitFor();
    await screenshot(page, "customer-read-only");

    expect(await fieldCell(page, "name").locator("input").inputValue()).toBe(customerName);
    const enabledInputs = await page.locator(".ant-card input:not([disabled]), .ant-card textarea:not([disabled])").count();
    expect(enabledInputs).toBe(0);
    expect(await page.locator(".ant-card .ant-select:not(.ant-select-disabled)").count()).toBe(0);
    expect(await page.getByRole("button", { name: /保\s*存/ }).count()).toBe(0);
    for (const hidden of ["bank_account", "bank_name", "credit_limit", "tax_number"]) {
      expect(await fieldCell(page, hidden).count(), hidden).toBe(0);
    }
    expect(await page.getByText("银行账号").count()).toBe(0);

    // 普通客服 may create contacts: the customer's contacts tab opens a new contact with the customer filled in.
    const customerUrl = page.url();
    await page.getByRole("tab", { name: "联系人" }).click();
    await page.getByRole("button", { name: "新建联系人" }).click();
    await page.waitForURL(/\/o\/contact\/new/);
    await expect.poll(() => fieldCell(page, "customer_id").textContent()).toContain(customerName);
    expect(await fieldCell(page, "customer_id").locator(".ant-select-disabled").count()).toBe(0);
    await fieldCell(page, "name").locator("input").fill(serviceContactName);
    await fieldCell(page, "mobile").locator("input").fill("13800138000");
    await screenshot(page, "customer-service-new-contact");
    await page.getByRole("button", { name: /保\s*存/ }).click();
    await page.waitForURL(/\/o\/contact\/r\//);
    await expect.poll(() => page.locator(".screen-toolbar h4").textContent()).toBe(serviceContactName);

    await page.goto(customerUrl);
    await page.getByRole("tab", { name: "联系人" }).click();
    const contacts = page.getByRole("tabpanel").locator(".ant-table-tbody");
    await expect.poll(() => contacts.textContent()).toContain(serviceContactName);
    expect(await contacts.textContent()).toContain("13800138000");
    await screenshot(page, "customer-service-contacts-tab");
    await page.context().close();
  });
});
