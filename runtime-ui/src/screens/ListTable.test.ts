// The list table's markup (antd's Table class names, which its styles, the browser tests and bench/ui-list.ts select
// on), its sort cycle and its empty and loading states; rendered to HTML, no browser needed.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { LocaleProvider } from "../i18n/locale";
import { headerSort, sortAfterHeaderClick } from "./list-filter";
import { ListTable, nextSortOrder, type ListTableColumn, type ListTableProps } from "./ListTable";

interface Row {
  id: string;
  name: string;
  amount: number;
}

const COLUMNS: ListTableColumn<Row>[] = [
  { key: "name", title: "名称", width: 200, sortable: true, render: (row) => createElement("b", null, row.name) },
  { key: "amount", title: "金额", sortable: true, render: (row) => `¥${row.amount}` },
  { key: "related_employee_ids", title: "相关员工", sortable: false, render: () => "—" },
];
const ROWS: Row[] = [
  { id: "r1", name: "上海信诚", amount: 10 },
  { id: "r2", name: "南京大成", amount: 20 },
];

/** The table's HTML with these props. */
function render(props: Partial<ListTableProps<Row>> = {}): string {
  const element = createElement(ListTable<Row>, {
    columns: COLUMNS,
    rows: ROWS,
    rowKey: (row) => row.id,
    loading: false,
    sort: null,
    onSortChange: () => undefined,
    onRowClick: () => undefined,
    emptyText: createElement("div", { className: "ant-empty" }, "暂无数据"),
    className: "list-table",
    ...props,
  });
  return renderToStaticMarkup(createElement(LocaleProvider, null, element));
}
/** The opening tags with this class. */
const tagsWith = (html: string, className: string) => [...html.matchAll(/<(\w+)\s[^>]*class="([^"]*)"[^>]*>/g)].filter((match) => match[2].split(" ").includes(className)).map((match) => match[0]);

beforeAll(() => {
  // The locale provider reads the chosen language from localStorage, which Node lacks.
  vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => undefined });
});

describe("nextSortOrder", () => {
  it("cycles none → ascending → descending → none, as antd's Table", () => {
    expect(nextSortOrder(null)).toBe("ascend");
    expect(nextSortOrder("ascend")).toBe("descend");
    expect(nextSortOrder("descend")).toBeNull();
  });

  it("maps to the list's sort parameter, back to the layout's default after the third click", () => {
    expect(sortAfterHeaderClick("name", "ascend", "-created_at")).toBe("name");
    expect(sortAfterHeaderClick("name", "descend", "-created_at")).toBe("-name");
    expect(sortAfterHeaderClick("name", null, "-created_at")).toBe("-created_at");
    expect(headerSort("-amount,name")).toEqual({ key: "amount", order: "descend" });
    expect(headerSort("name")).toEqual({ key: "name", order: "ascend" });
    expect(headerSort(undefined)).toBeNull();
  });
});

describe("ListTable", () => {
  it("renders antd's table markup: wrapper, head, one row per record with its cells", () => {
    const html = (render());
    expect(tagsWith(html, "ant-table-wrapper")[0]).toContain("list-table");
    expect(tagsWith(html, "ant-table-wrapper")[0]).toContain("ant-table-css-var");
    expect(tagsWith(html, "ant-table")[0]).toContain("ant-table-medium");
    expect(tagsWith(html, "ant-table-thead")).toHaveLength(1);
    const rows = tagsWith(html, "ant-table-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('data-row-key="r1"');
    expect(html).toContain("<b>上海信诚</b>");
    expect(html).toContain("¥20");
    // Widths from the layout, the other columns sized by their content.
    expect(html).toContain('<col style="width:200px"/><col/><col/>');
    expect(html).not.toContain("ant-table-placeholder");
    expect(html).not.toContain("ant-spin-spinning");
  });

  it("marks the sorted column (aria-sort, active caret, cell background) and only sortable headers take clicks", () => {
    const html = (render({ sort: { key: "amount", order: "descend" } }));
    const headers = [...html.matchAll(/<th [^>]*>/g)].map((match) => match[0]);
    expect(headers).toHaveLength(3);
    expect(headers[0]).toContain("ant-table-column-has-sorters");
    expect(headers[0]).not.toContain("aria-sort");
    expect(headers[1]).toContain('aria-sort="descending"');
    expect(headers[1]).toContain("ant-table-column-sort");
    expect(headers[1]).toContain('tabindex="0"');
    expect(headers[2]).not.toContain("ant-table-column-has-sorters");
    expect(headers[2]).not.toContain("tabindex");
    expect(html).toMatch(/class="[^"]*ant-table-column-sorter-down active[^"]*"/);
    expect(html).not.toMatch(/class="[^"]*ant-table-column-sorter-up active[^"]*"/);
    expect(tagsWith(html, "ant-table-cell").filter((tag) => tag.startsWith("<td") && tag.includes("ant-table-column-sort"))).toHaveLength(2);
  });

  it("shows the empty text when there are no records", () => {
    const html = (render({ rows: [] }));
    expect(tagsWith(html, "ant-table")[0]).toContain("ant-table-empty");
    expect(tagsWith(html, "ant-table-placeholder")).toHaveLength(1);
    expect(html).toMatch(/colspan="3"/i);
    expect(html).toContain("暂无数据");
    expect(tagsWith(html, "ant-table-row")).toHaveLength(0);
  });

  it("shows only its spinner while the first page is on its way, not the empty text", () => {
    const html = (render({ rows: undefined, loading: true }));
    expect(html).toContain("ant-spin-spinning");
    expect(tagsWith(html, "ant-table-placeholder")).toHaveLength(1);
    expect(html).not.toContain("暂无数据");
  });

  it("keeps the rows under the spinner while more are loading", () => {
    const html = (render({ loading: true }));
    expect(html).toContain("ant-spin-spinning");
    expect(tagsWith(html, "ant-table-row")).toHaveLength(2);
  });
});
