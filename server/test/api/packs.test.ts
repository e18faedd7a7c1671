// Packs: apply a folder over HTTP and from the command line; applying twice changes nothing.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPackFolder } from "@crm/metadata/load";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

const run = promisify(execFile);
const packDir = path.resolve(import.meta.dirname, "../fixtures/demo-pack");
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.login("admin");
});

afterAll(async () => {
  await server?.close();
});

const snapshot = async () => ({
  versions: Number((await server.database.db("model_versions").withSchema("sys").count({ n: "*" }))[0].n),
  history: Number((await server.database.db("metadata_history").withSchema("sys").count({ n: "*" }))[0].n),
});

describe("packs over HTTP", () => {
  it("previews, applies, and is a no-op the second time", async () => {
    const pack = await loadPackFolder(packDir);
    const preview = await admin.post("/api/packs/apply?dryRun=1", pack);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.changedObjects.sort()).toEqual(["trial_loan", "trial_loan_line"]);
    expect((await admin.get("/api/metadata/objects/trial_loan")).status).toBe(404);

    const first = await admin.post("/api/packs/apply", pack);
    expect(first.body).toMatchObject({ pack: "demo_samples", changed: true });
    expect(first.body.plan.steps.map((step: { type: string }) => step.type)).toContain("create_table");
    const afterFirst = await snapshot();
    const second = await admin.post("/api/packs/apply", pack);
    expect(second.body).toMatchObject({ changed: false, changedObjects: [], changedOptionSets: [] });
    expect(second.body.plan.steps).toEqual([]);
    expect(await snapshot()).toEqual(afterFirst);
  });

  it("creates records of the pack's objects with lines", async () => {
    const customer = await admin.post("/api/objects/customer/records", { name: "青岛海源橡胶制品厂" });
    const loan = await admin.post("/api/objects/trial_loan/records", {
      customer_id: customer.body.id,
      loan_date: "2026-11-26",
      lines: [{ item: "水性涂料样品", quantity: 2 }],
    });
    expect(loan.status, JSON.stringify(loan.body)).toBe(201);
    expect(loan.body).toMatchObject({ status: "draft", customer_id: customer.body.id });
    expect(loan.body.number).toMatch(/^TL-\d{4}-000001$/);
    expect(loan.body.lines[0]).toMatchObject({ item: "水性涂料样品", quantity: 2, returned_quantity: 0 });
    const related = await admin.get(`/api/objects/customer/records/${customer.body.id}/related/trial_loan`);
    expect(related.body.records.map((record: { id: string }) => record.id)).toEqual([loan.body.id]);
  });

  it("keeps a custom field added on site when the pack is applied again", async () => {
    const current = (await admin.get("/api/metadata/objects/trial_loan")).body;
    const withCustomField = {
      ...current,
      fields: [...current.fields, { name: "purpose", type: "text", label: { "zh-CN": "借用目的", en: "Purpose" } }],
    };
    expect((await admin.put("/api/metadata/objects/trial_loan", withCustomField)).status).toBe(200);
    const pack = await loadPackFolder(packDir);
    pack.manifest.version = "1.0.1";
    pack.objects[0].fields.push({ name: "due_date", type: "date", label: { "zh-CN": "应还日期", en: "Due date" } });
    const upgraded = await admin.post("/api/packs/apply", pack);
    expect(upgraded.body.changed).toBe(true);
    const fields = (await admin.get("/api/metadata/objects/trial_loan")).body.fields.map((field: { name: string }) => field.name);
    expect(fields).toEqual(expect.arrayContaining(["purpose", "due_date", "lines"]));
  });

  it("rejects a broken pack as a whole", async () => {
    const pack = await loadPackFolder(packDir);
    pack.manifest.name = "broken_pack";
    pack.objects[1] = { ...pack.objects[1], fields: [{ name: "item", type: "lookup", target: "missing_object", label: { "zh-CN": "x", en: "x" } }] };
    const before = await snapshot();
    const response = await admin.post("/api/packs/apply", pack);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("INVALID_METADATA");
    expect(response.body.error.details[0]).toMatchObject({ document: "objects/trial_loan_line", path: "/fields/0/target" });
    expect(await snapshot()).toEqual(before);
  });

  it("is for administrators only", async () => {
    const pack = await loadPackFolder(packDir);
    await server.database.db("users").withSchema("sys").insert({
      username: "plain",
      display_name: "Plain",
      password_hash: (await server.database.db("users").withSchema("sys").where({ username: "admin" }).first("password_hash")).password_hash,
    });
    const plain = await server.login("plain");
    expect((await plain.post("/api/packs/apply", pack)).status).toBe(403);
    expect((await plain.put("/api/metadata/objects/trial_loan", pack.objects[0])).status).toBe(403);
  });
});

describe("npm run pack:apply", () => {
  it("applies a folder to an embedded database, then changes nothing", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "crm-pack-"));
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" };
    try {
      const cli = path.resolve(import.meta.dirname, "../../src/packs/cli.ts");
      const standard = path.resolve(import.meta.dirname, "../../../metadata");
      const tsx = path.resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");
      await run(tsx, [cli, standard], { env });
      const first = await run(tsx, [cli, packDir], { env });
      expect(first.stdout).toMatch(/Applied demo_samples@1\.0\.0/);
      const second = await run(tsx, [cli, packDir], { env });
      expect(second.stdout).toMatch(/nothing to change/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
