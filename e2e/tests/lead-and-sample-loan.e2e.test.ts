// Actions and approvals in the browser: a salesperson converts a lead into a customer and an opportunity (and sees
// them in 客户全貌), creates a 样品借用 with lines and submits it; the manager approves it from the inbox on a phone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { apiCall, apiToken, BASE_URL, fieldCell, launchBrowser, openFromMenu, openPage, PHONE, pickLookup, screenshot, signIn, uniqueSuffix } from "../browser";

// 陈静 (天津分公司) works the lead and the loan; 刘洋 manages the Tianjin departments and approves her loans.
const SALESPERSON = "chenjing";
const MANAGER = "liuyang";
const leadCompany = `津南新材料有限公司-${uniqueSuffix()}`;
const loanCustomer = `样品试用客户-${uniqueSuffix()}`;

let browser: Browser;
let salespersonToken: string;
let leadId: string;
let loanNumber: string;
let loanId: string;

beforeAll(async () => {
  browser = await launchBrowser();
  salespersonToken = await apiToken(SALESPERSON);
  const lead = await apiCall(salespersonToken, "POST", "/api/objects/lead/records", { name: "赵先生", company: leadCompany, lead_type: "customer", status: "new" });
  if (lead.status !== 201) throw new Error(`lead not created: ${JSON.stringify(lead.body)}`);
  leadId = (lead.body as { id: string }).id;
  const customer = await apiCall(salespersonToken, "POST", "/api/objects/customer/records", { name: loanCustomer });
  if (customer.status !== 201) throw new Error(`customer not created: ${JSON.stringify(customer.body)}`);
});
afterAll(async () => {
  await browser?.close();
});

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const okButton = (page: Page) => page.locator(".ant-modal:visible").getByRole("button", { name: /确\s*定/ });

describe("lead conversion and sample loan approval", () => {
  it("a salesperson converts a lead into a customer, a contact and an opportunity", async () => {
    const page = await openPage(browser);
    await signIn(page, SALESPERSON);
    await page.goto(`${BASE_URL}/o/lead/r/${leadId}`);
    await page.getByRole("button", { name: "线索转换" }).click();
    await page.locator(".ant-modal:visible").getByText("新建潜在客户").waitFor();
    await screenshot(page, "lead-convert-dialog");
    await okButton(page).click();
    const createdOpportunity = page.locator('.ant-modal:visible [data-created="opportunity"]');
    await createdOpportunity.waitFor();
    expect(await page.locator('.ant-modal:visible [data-created="customer"]').textContent()).toContain(leadCompany);
    expect(await page.locator('.ant-modal:visible [data-created="contact"]').textContent()).toContain("赵先生");
    await screenshot(page, "lead-converted");

    const lead = await apiCall(salespersonToken, "GET", `/api/objects/lead/records/${leadId}`);
    expect(lead.body).toMatchObject({ status: "converted" });
    const customerId = (lead.body as { converted_customer_id: string }).converted_customer_id;

    await createdOpportunity.click();
    await page.waitForURL(/\/o\/opportunity\/r\//);
    await expect.poll(() => page.locator(".screen-toolbar h4").textContent()).toBe(leadCompany);

    // 客户全貌: the new customer's opportunity and contact, each linking to its record.
    await page.goto(`${BASE_URL}/o/customer/r/${customerId}`);
    await page.getByRole("tab", { name: "客户全貌" }).click();
    // A lookup list is named by the object alone unless that object has several lookups to customers.
    const opportunities = page.locator('.overview-card[data-relation="opportunity"], .overview-card[data-relation="opportunity.customer_id"]');
    await opportunities.waitFor();
    expect(await opportunities.textContent()).toContain(leadCompany);
    expect(await page.locator('.overview-card[data-relation="contact"], .overview-card[data-relation="contact.customer_id"]').textContent()).toContain("赵先生");
    await screenshot(page, "customer-overview");
    await opportunities.locator(".overview-item").first().click();
    await page.waitForURL(/\/o\/opportunity\/r\//);
    await page.context().close();
  });

  it("a salesperson creates a sample loan with lines and submits it for approval", async () => {
    const page = await openPage(browser);
    await signIn(page, SALESPERSON);
    await openFromMenu(page, "营销管理", "样品借用");
    await page.getByRole("button", { name: /新\s*建/ }).click();
    await pickLookup(page, "customer_id", loanCustomer.slice(0, 6), loanCustomer);
    for (const [field, day] of [["loan_date", "2026-11-20"], ["due_date", "2026-12-20"]]) {
      // Typing shows the day in the open panel; clicking it commits (Enter would submit the form).
      const input = fieldCell(page, field).locator("input");
      await input.click();
      await input.fill(day);
      await page.locator(`.ant-picker-dropdown:visible td[title="${day}"]`).click();
    }
    await page.getByRole("button", { name: "添加明细" }).click();
    await page.locator("#lines-0-inventory_id").click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").first().click();
    await page.locator("#lines-0-loaned_quantity").fill("3");
    await screenshot(page, "sample-loan-form");
    await page.getByRole("button", { name: /保\s*存/ }).click();
    await page.waitForURL(/\/o\/sample_loan\/r\//);
    loanId = page.url().split("/r/")[1];
    const saved = await apiCall(salespersonToken, "GET", `/api/objects/sample_loan/records/${loanId}`);
    expect((saved.body as { lines: unknown[] }).lines).toHaveLength(1);
    loanNumber = (saved.body as { number: string }).number;

    await page.getByRole("button", { name: "提交审批" }).click();
    await page.locator(".ant-modal:visible .ant-modal-body").getByText("确定要执行“提交审批”吗？").waitFor();
    await screenshot(page, "sample-loan-submit-confirm");
    await okButton(page).click();
    await page.getByText("审批中，记录已锁定，不能修改").waitFor();
    await page.getByRole("tab", { name: "审批记录" }).click();
    // The approval waits for 刘洋, the owner's department manager.
    await page.getByRole("tabpanel").filter({ hasText: "刘洋" }).waitFor();
    // States and the step by their labels, never their internal names.
    const trail = (await page.getByRole("tabpanel").filter({ hasText: "刘洋" }).textContent()) ?? "";
    expect(trail).toContain("草稿 → 待审批");
    expect(trail).toContain("部门经理审批");
    expect(trail).not.toContain("department_manager");
    await screenshot(page, "sample-loan-submitted");
    const submitted = await apiCall(salespersonToken, "GET", `/api/objects/sample_loan/records/${loanId}`);
    expect(submitted.body).toMatchObject({ status: "pending" });
    await page.context().close();
  });

  it("the manager approves it from the inbox on a 375 px phone", async () => {
    const page = await openPage(browser, PHONE);
    await signIn(page, MANAGER);
    await page.getByRole("button", { name: "菜单" }).click();
    const inboxItem = page.locator(".ant-drawer .ant-menu-item", { hasText: "待办审批" });
    await expect.poll(() => inboxItem.locator(".ant-badge").textContent()).toMatch(/[1-9]/);
    await inboxItem.click();
    await page.waitForURL(/\/approvals$/);
    const task = page.locator(".inbox-task", { hasText: loanNumber });
    await task.waitFor();
    expect(await task.textContent()).toContain("陈静");
    // The step and the record's state as the manager reads them.
    expect(await task.textContent()).toContain("部门经理审批");
    expect(await task.textContent()).toContain("待审批");
    expect(await task.textContent()).not.toContain("department_manager");
    await screenshot(page, "approvals-inbox-phone");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    await task.getByRole("button", { name: /通\s*过/ }).click();
    await page.locator(".ant-modal:visible textarea").fill("同意借出");
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await okButton(page).click();
    await expect.poll(() => task.count()).toBe(0);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);

    const approved = await apiCall(salespersonToken, "GET", `/api/objects/sample_loan/records/${loanId}`);
    expect(approved.body).toMatchObject({ status: "approved" });
    const workflow = await apiCall(salespersonToken, "GET", `/api/objects/sample_loan/records/${loanId}/workflow`);
    expect((workflow.body as { history: { action: string; comment: string | null }[] }).history).toContainEqual(expect.objectContaining({ action: "approve", comment: "同意借出" }));
    await page.context().close();
  });
});
