// List pages and records read through compiled statements (records/statement-templates.ts): requests that share a
// shape but not their values (cursor, filter, search, parent record) must each get their own answer, also after the
// object's definition changes under statements compiled and prepared before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });

const gauge = (readingType: "integer" | "decimal", noteLength: number) => ({
  name: "gauge",
  label: label("仪表", "Gauge"),
  module: "base",
  displayField: "title",
  defaultSort: "-created_at",
  fields: [
    { name: "title", type: "text", required: true, searchable: true, maxLength: noteLength, label: label("名称", "Title") },
    { name: "reading", type: readingType, indexed: true, label: label("读数", "Reading") },
    { name: "site_id", type: "lookup", target: "gauge_site", label: label("站点", "Site") },
  ],
});
const site = { name: "gauge_site", label: label("站点", "Site"), module: "base", displayField: "title", fields: [{ name: "title", type: "text", label: label("名称", "Title") }] };

let server: TestServer;
let admin: TestClient;
const sites: string[] = [];
const gauges: { id: string; title: string; reading: number; site_id: string }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
  expect((await admin.put("/api/metadata/objects/gauge_site", site)).status).toBe(201);
  expect((await admin.put("/api/metadata/objects/gauge", gauge("integer", 40))).status).toBe(201);
  for (const title of ["north", "south"]) sites.push((await admin.post("/api/objects/gauge_site/records", { title })).body.id);
  for (let index = 0; index < 9; index += 1) {
    const body = { title: `gauge ${index}`, reading: index * 10, site_id: sites[index % 2] };
    const created = await admin.post("/api/objects/gauge/records", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    gauges.push({ ...body, id: created.body.id });
  }
});

afterAll(async () => {
  await server?.close();
});

async function allPages(path: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await admin.get(`${path}${path.includes("?") ? "&" : "?"}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    ids.push(...response.body.records.map((record: { id: string }) => record.id));
    cursor = response.body.nextCursor;
  } while (cursor);
  return ids;
}

const filterOf = (logic: unknown) => encodeURIComponent(JSON.stringify(logic));

describe("reads through compiled statements", () => {
  it("pages through every record exactly once, twice over (the second time from compiled statements)", async () => {
    const newestFirst = [...gauges].reverse().map((gauge) => gauge.id);
    expect(await allPages("/api/objects/gauge/records", 2)).toEqual(newestFirst);
    expect(await allPages("/api/objects/gauge/records", 2)).toEqual(newestFirst);
    const byReading = [...gauges].sort((a, b) => b.reading - a.reading).map((gauge) => gauge.id);
    expect(await allPages("/api/objects/gauge/records?sort=-reading", 4)).toEqual(byReading);
  });

  it("answers each filter, search and parent record with its own rows", async () => {
    for (const threshold of [30, 60, 0]) {
      const ids = await allPages(`/api/objects/gauge/records?sort=reading&filter=${filterOf({ ">=": [{ var: "reading" }, threshold] })}`, 3);
      expect(ids).toEqual(gauges.filter((gauge) => gauge.reading >= threshold).map((gauge) => gauge.id));
    }
    for (const text of ["gauge 3", "gauge 7"]) {
      const found = await admin.get(`/api/objects/gauge/records?q=${encodeURIComponent(text)}`);
      expect(found.body.records.map((record: { title: string }) => record.title)).toEqual([text]);
    }
    for (const [index, siteId] of sites.entries()) {
      const related = await allPages(`/api/objects/gauge_site/records/${siteId}/related/gauge`, 2);
      expect(new Set(related)).toEqual(new Set(gauges.filter((_, position) => position % 2 === index).map((gauge) => gauge.id)));
    }
  });

  it("reads each record by its own id, and an unknown id is not found", async () => {
    for (const gauge of gauges.slice(0, 3)) {
      const read = await admin.get(`/api/objects/gauge/records/${gauge.id}`);
      expect(read.body).toMatchObject({ id: gauge.id, title: gauge.title, reading: gauge.reading });
    }
    expect((await admin.get(`/api/objects/gauge/records/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it("keeps reading after a field's type changes under statements compiled before", async () => {
    const before = await admin.get(`/api/objects/gauge/records?sort=-reading&limit=3`);
    expect(before.body.records.map((record: { reading: number }) => record.reading)).toEqual([80, 70, 60]);
    const changed = await admin.put("/api/metadata/objects/gauge", gauge("decimal", 200));
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await admin.patch(`/api/objects/gauge/records/${gauges[8].id}`, { reading: 80.25, version: 1 })).status).toBe(200);
    const after = await admin.get(`/api/objects/gauge/records?sort=-reading&limit=3`);
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(after.body.records.map((record: { reading: number }) => record.reading)).toEqual([80.25, 70, 60]);
    expect((await admin.get(`/api/objects/gauge/records/${gauges[8].id}`)).body.reading).toBe(80.25);
  });
});
