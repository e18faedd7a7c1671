// Export: CSV and XLSX of exactly what the user may see, in the list's order, neutralised against formulas, audited.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });

const crateLine = { name: "crate_line", label: label("货箱明细", "Crate line"), fields: [{ name: "item", type: "text", label: label("品名", "Item") }] };

const crate = {
  name: "crate",
  label: label("货箱", "Crate"),
  module: "base",
  displayField: "title",
  fields: [
    { name: "title", type: "text", required: true, searchable: true, label: label("名称", "Title") },
    { name: "grade", type: "picklist", options: [{ value: "a", label: label("甲级", "Grade A") }, "b"], label: label("等级", "Grade") },
    {
      name: "colours",
      type: "multi_picklist",
      options: [
        { value: "red", label: label("红", "Red") },
        { value: "blue", label: label("蓝", "Blue") },
      ],
      label: label("颜色", "Colours"),
    },
    { name: "weight", type: "decimal", scale: 3, label: label("重量", "Weight") },
    { name: "fragile", type: "boolean", label: label("易碎", "Fragile") },
    { name: "packed_on", type: "date", label: label("装箱日期", "Packed on") },
    { name: "site", type: "address", label: label("地点", "Site") },
    { name: "files", type: "attachment", label: label("附件", "Files") },
    { name: "lines", type: "master_detail", target: "crate_line", label: label("明细", "Lines") },
  ],
};

const pallet = { name: "pallet", label: label("托盘", "Pallet"), fields: [{ name: "tag", type: "text", label: label("标签", "Tag") }] };

type Cell = string | number | null;

let server: TestServer;
let admin: TestClient;

async function download(url: string, headers: Record<string, string> = {}, token = admin.token) {
  const response = await server.built.app.inject({ method: "GET", url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: response.statusCode, headers: response.headers, raw: response.rawPayload, text: response.body, json: () => JSON.parse(response.body) };
}

/** RFC 4180 reader for the assertions (the BOM must already be removed). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character !== '"') field += character;
      else if (text[index + 1] === '"') (field += '"'), (index += 1);
      else quoted = false;
    } else if (character === '"') quoted = true;
    else if (character === ",") row.push(field), (field = "");
    else if (character === "\r" && text[index + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), (index += 1);
    else field += character;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

const csvRows = (text: string) => {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parseCsv(text.slice(1));
};

async function xlsxRows(raw: Buffer): Promise<{ name: string; rows: Cell[][]; types: number[][] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(raw as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  const sheet = workbook.worksheets[0];
  const width = sheet.getRow(1).cellCount;
  const rows: Cell[][] = [];
  const types: number[][] = [];
  sheet.eachRow((row) => {
    const cells = Array.from({ length: width }, (_, index) => row.getCell(index + 1));
    rows.push(cells.map((cell) => (cell.value ?? null) as Cell));
    types.push(cells.map((cell) => cell.type));
  });
  return { name: sheet.name, rows, types };
}

const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  for (const definition of [crateLine, crate, pallet]) {
    const created = await admin.put(`/api/metadata/objects/${definition.name}`, definition);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
});

afterAll(async () => {
  await server?.close();
});

describe("GET /api/objects/:object/export", () => {
  const crates: Record<string, unknown>[] = [];
  const expected = (language: "zh" | "en"): Cell[][] => [
    language === "zh"
      ? ["名称", "等级", "颜色", "重量", "易碎", "装箱日期", "地点", "附件", "编号 ID", "创建时间", "更新时间"]
      : ["Title", "Grade", "Colours", "Weight", "Fragile", "Packed on", "Site", "Files", "ID", "Created at", "Updated at"],
    [
      '上海, "总部"\n二号',
      language === "zh" ? "甲级" : "Grade A",
      language === "zh" ? "红、蓝" : "Red、Blue",
      1.125,
      language === "zh" ? "是" : "Yes",
      "2026-03-01",
      "上海 上海 浦东大道 1 号",
      "a.pdf、b.pdf",
      crates[0].id as string,
      crates[0].created_at as string,
      crates[0].updated_at as string,
    ],
    ["B 箱", "b", null, null, language === "zh" ? "否" : "No", null, null, null, crates[1].id as string, crates[1].created_at as string, crates[1].updated_at as string],
  ];
  const asCsv = (rows: Cell[][]) => rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))));

  beforeAll(async () => {
    for (const body of [
      {
        title: '上海, "总部"\n二号',
        grade: "a",
        colours: ["red", "blue"],
        weight: 1.125,
        fragile: true,
        packed_on: "2026-03-01",
        site: { province: "上海", city: "上海", street: "浦东大道 1 号" },
        files: [
          { name: "a.pdf", url: "/files/a.pdf" },
          { name: "b.pdf", url: "/files/b.pdf" },
        ],
        lines: [{ item: "不导出的明细" }],
      },
      { title: "B 箱", grade: "b", fragile: false },
    ]) {
      const created = await admin.post("/api/objects/crate/records", body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      crates.push(created.body);
    }
  });

  it("writes CSV: UTF-8 BOM, zh-CN labels, option labels, readable JSON, RFC 4180 quoting, no master-detail column", async () => {
    const response = await download("/api/objects/crate/export?format=csv&sort=created_at");
    expect(response.status, response.text).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvRows(response.text)).toEqual(asCsv(expected("zh")));
    expect(response.text).toContain('\r\n"上海, ""总部""\n二号",甲级,红、蓝,1.125,是,2026-03-01,');
    const today = new Date();
    const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    expect(response.headers["content-disposition"]).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(`货箱-${date}.csv`)}`);
  });

  it("uses en labels and option labels with Accept-Language en", async () => {
    const response = await download("/api/objects/crate/export?format=csv&sort=created_at", { "accept-language": "en-US,en;q=0.9" });
    expect(response.status).toBe(200);
    expect(csvRows(response.text)).toEqual(asCsv(expected("en")));
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename\*=UTF-8''Crate-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it("writes XLSX that reads back as the same rows, in one worksheet named after the object", async () => {
    const response = await download("/api/objects/crate/export?format=xlsx&sort=created_at");
    expect(response.status, response.text).toBe(200);
    expect(response.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers["content-disposition"]).toMatch(/\.xlsx$/);
    const sheet = await xlsxRows(response.raw);
    expect(sheet.name).toBe("货箱");
    expect(sheet.rows).toEqual(expected("zh"));
    const english = await xlsxRows((await download("/api/objects/crate/export?format=xlsx&sort=created_at", { "accept-language": "en" })).raw);
    expect(english.name).toBe("Crate");
    expect(english.rows).toEqual(expected("en"));
  });

  it("exports only the records matching filter and q, in the requested order", async () => {
    const filtered = await download(`/api/objects/crate/export?${filterParam({ "==": [{ var: "grade" }, "b"] })}`);
    expect(csvRows(filtered.text).slice(1).map((row) => row[0])).toEqual(["B 箱"]);
    const searched = await download(`/api/objects/crate/export?format=xlsx&q=${encodeURIComponent("总部")}`);
    expect((await xlsxRows(searched.raw)).rows.slice(1).map((row) => row[0])).toEqual(['上海, "总部"\n二号']);
    const reversed = await download("/api/objects/crate/export?sort=-created_at");
    expect(csvRows(reversed.text).slice(1).map((row) => row[8])).toEqual([crates[1].id, crates[0].id]);
    const none = await download(`/api/objects/crate/export?${filterParam({ "==": [{ var: "title" }, "nothing"] })}`);
    expect(csvRows(none.text)).toEqual([asCsv(expected("zh"))[0]]);
  });

  it("neutralises cell text that a spreadsheet would run as a formula, in CSV and XLSX", async () => {
    const names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "安全的名字"];
    for (const name of names) expect((await admin.post("/api/objects/customer/records", { name, credit_limit: 5 })).status).toBe(201);
    const filter = filterParam({ in: [{ var: "name" }, names] });
    const csv = await download(`/api/objects/customer/export?format=csv&sort=created_at&${filter}`);
    expect(csv.status, csv.text).toBe(200);
    const rows = csvRows(csv.text);
    const nameColumn = rows[0].indexOf("客户名称");
    const neutral = ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tTAB", "'\rCR", "安全的名字"];
    expect(rows.slice(1).map((row) => row[nameColumn])).toEqual(neutral);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    const xlsx = await xlsxRows((await download(`/api/objects/customer/export?format=xlsx&sort=created_at&${filter}`)).raw);
    // XML reads a bare carriage return back as a line feed; the cell is still text with the quote in front.
    expect(xlsx.rows.slice(1).map((row) => row[nameColumn])).toEqual(neutral.map((name) => name.replace("\r", "\n")));
    expect(xlsx.types.slice(1).map((row) => row[nameColumn])).toEqual(neutral.map(() => ExcelJS.ValueType.String));
    expect(xlsx.types.flat()).not.toContain(ExcelJS.ValueType.Formula);
    // Numbers are numbers, not text: a negative amount is not touched.
    const creditColumn = xlsx.rows[0].indexOf("信用额度");
    expect(xlsx.rows.slice(1).map((row) => row[creditColumn])).toEqual(neutral.map(() => 5));
  });

  it("writes an audit row with the format, parameters and row count", async () => {
    const filter = { "==": [{ var: "grade" }, "a"] };
    const response = await download(`/api/objects/crate/export?format=xlsx&sort=-created_at&${filterParam(filter)}`);
    expect(response.status).toBe(200);
    const audit = await server.database.db("audit_log").withSchema("sys").where({ action: "export" }).orderBy("id", "desc").first();
    expect(audit).toMatchObject({ object: "crate", record_id: null, action: "export" });
    expect(audit.context).toEqual({ username: "admin", format: "xlsx", filter, sort: "-created_at", rows: 1 });
  });

  // 1,205 records written through the API and six exports: about 19 s alone on the embedded database, past the default
  // minute when the machine is busy with other suites.
  it("reads more than one page in keyset order without losing or repeating rows that share a timestamp", async () => {
    const records = Array.from({ length: 1205 }, (_, index) => ({ name: `批量客户 ${index}`, remark: "bulk", credit_limit: index % 50 === 0 ? null : index % 7 }));
    for (const part of [records.slice(0, 1000), records.slice(1000)]) {
      const created = await admin.post("/api/objects/customer/records/bulk", { records: part });
      expect(created.status, JSON.stringify(created.body).slice(0, 500)).toBe(201);
    }
    const db = server.database.db;
    const filter = filterParam({ "==": [{ var: "remark" }, "bulk"] });
    for (const [sort, order] of [
      ["", [{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }]],
      ["-credit_limit,name", [{ column: "credit_limit", order: "desc" }, { column: "name", order: "asc" }, { column: "id", order: "desc" }]],
      ["credit_limit", [{ column: "credit_limit", order: "asc" }, { column: "id", order: "asc" }]],
    ] as const) {
      const response = await download(`/api/objects/customer/export?${filter}${sort ? `&sort=${sort}` : ""}`);
      expect(response.status).toBe(200);
      const rows = csvRows(response.text);
      const idColumn = rows[0].indexOf("编号 ID");
      const ids = rows.slice(1).map((row) => row[idColumn]);
      const inOrder = await db("customer")
        .where({ remark: "bulk" })
        .whereNull("deleted_at")
        .orderBy(order as unknown as { column: string; order: "asc" | "desc" }[])
        .pluck("id");
      expect(ids).toHaveLength(1205);
      expect(ids).toEqual(inOrder);
      const sheet = await xlsxRows((await download(`/api/objects/customer/export?format=xlsx&${filter}${sort ? `&sort=${sort}` : ""}`)).raw);
      expect(sheet.rows.slice(1).map((row) => row[idColumn])).toEqual(inOrder);
    }
  }, 180_000);

  it("refuses more than 100,000 matching records with a 400 before writing anything", async () => {
    await server.database.db.raw(`INSERT INTO pallet (tag) SELECT 'p' || g FROM generate_series(1, 100001) AS g`);
    const before = await server.database.db("audit_log").withSchema("sys").where({ action: "export", object: "pallet" }).count({ n: "*" });
    const response = await download("/api/objects/pallet/export?format=xlsx");
    expect(response.status).toBe(400);
    expect(response.json().error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "/filter" }] });
    expect(response.json().error.details[0].message.en).toMatch(/100001 records match/);
    const after = await server.database.db("audit_log").withSchema("sys").where({ action: "export", object: "pallet" }).count({ n: "*" });
    expect(after).toEqual(before);
    const narrowed = await download(`/api/objects/pallet/export?${filterParam({ "==": [{ var: "tag" }, "p7"] })}`);
    expect(csvRows(narrowed.text).slice(1).map((row) => row[0])).toEqual(["p7"]);
  }, 120_000);

  it("answers 400 for an unknown format or a bad filter, 404 for an unknown object", async () => {
    const format = await download("/api/objects/crate/export?format=pdf");
    expect(format.status).toBe(400);
    expect(format.json().error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "/format" }] });
    const filter = await download("/api/objects/crate/export?filter=%7Bnope");
    expect(filter.status).toBe(400);
    expect(filter.json().error.details[0].path).toBe("/filter");
    const field = await download(`/api/objects/crate/export?${filterParam({ "==": [{ var: "no_such_field" }, 1] })}`);
    expect(field.status).toBe(400);
    expect((await download("/api/objects/nowhere/export")).status).toBe(404);
  });

  it("is refused without sign-in (401) and without the export permission (403)", async () => {
    expect((await download("/api/objects/crate/export", {}, null)).status).toBe(401);
    const users = server.database.db("users").withSchema("sys");
    const { password_hash } = await users.clone().where({ username: "admin" }).first("password_hash");
    await users.clone().insert({ username: "plain_exporter", display_name: "Plain", password_hash });
    const plain = await server.login("plain_exporter");
    const before = await server.database.db("audit_log").withSchema("sys").where({ action: "export" }).count({ n: "*" });
    for (const url of ["/api/objects/crate/export?format=csv", "/api/objects/customer/export?format=xlsx"]) {
      const response = await download(url, {}, plain.token);
      expect(response.status).toBe(403);
      expect(response.json().error.code).toBe("FORBIDDEN");
    }
    const after = await server.database.db("audit_log").withSchema("sys").where({ action: "export" }).count({ n: "*" });
    expect(after).toEqual(before);
  });
});
