// An object defined by a metadata PUT while the server runs appears in the menu and works without rebuilding the UI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { apiCall, apiToken, fieldCell, launchBrowser, openFromMenu, openPage, screenshot, signIn, uniqueSuffix } from "../browser";

const suffix = uniqueSuffix().replace(/[^a-z0-9]/g, "x");
const objectName = `site_visit_${suffix}`;
const label = `现场拜访${suffix}`;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("object defined at run time", () => {
  it("appears in the menu and records can be created and listed", async () => {
    const token = await apiToken("admin");
    const definition = {
      name: objectName,
      label: { "zh-CN": label, en: `Site visit ${suffix}` },
      module: "service",
      displayField: "title",
      ownership: true,
      fields: [
        { name: "title", type: "text", required: true, searchable: true, label: { "zh-CN": "拜访主题", en: "Title" } },
        { name: "visit_date", type: "date", label: { "zh-CN": "拜访日期", en: "Visit date" } },
        {
          name: "outcome",
          type: "picklist",
          options: [
            { value: "good", label: { "zh-CN": "顺利", en: "Good" } },
            { value: "bad", label: { "zh-CN": "不顺利", en: "Bad" } },
          ],
          label: { "zh-CN": "结果", en: "Outcome" },
        },
        { name: "cost", type: "amount", label: { "zh-CN": "费用", en: "Cost" } },
      ],
    };
    const created = await apiCall(token, "PUT", `/api/metadata/objects/${objectName}`, definition);
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const page = await openPage(browser);
    await signIn(page, "admin");
    await openFromMenu(page, "服务管理", label);
    await page.getByRole("button", { name: /新\s*建/ }).click();
    await fieldCell(page, "title").locator("input").fill("检查仓库");
    await fieldCell(page, "cost").locator("input").fill("1200.5");
    await fieldCell(page, "outcome").locator(".ant-select").click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "顺利" }).first().click();
    await page.getByRole("button", { name: /保\s*存/ }).click();
    await page.waitForURL(new RegExp(`/o/${objectName}/r/`));
    await screenshot(page, "runtime-object-detail");

    await openFromMenu(page, "服务管理", label);
    await expect.poll(() => page.locator(".ant-table-tbody tr.ant-table-row").count()).toBe(1);
    const row = await page.locator(".ant-table-tbody tr.ant-table-row").textContent();
    expect(row).toContain("检查仓库");
    expect(row).toContain("顺利");
    expect(row).toContain("¥1,200.50");
    await screenshot(page, "runtime-object-list");
    await page.context().close();
  });
});
