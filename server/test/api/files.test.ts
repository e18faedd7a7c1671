// File attachments over HTTP: upload (size limit, empty, not multipart), attach (own uploads or files the field
// already holds), download only through a visible record and a visible field that holds the file, audited.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeUnattachedFiles, UNATTACHED_GRACE_MS } from "../../src/files/cleanup";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });

const sampleKitLine = {
  name: "sample_kit_line",
  label: label("样品明细", "Sample line"),
  fields: [
    { name: "item", type: "text", required: true, label: label("品名", "Item") },
    { name: "label_photo", type: "attachment", label: label("标签照片", "Label photo") },
  ],
};

const sampleKit = {
  name: "sample_kit",
  label: label("样品包", "Sample kit"),
  module: "base",
  displayField: "title",
  ownership: true,
  fields: [
    { name: "title", type: "text", required: true, label: label("名称", "Title") },
    { name: "photos", type: "attachment", label: label("照片", "Photos") },
    { name: "contract_scan", type: "attachment", label: label("合同扫描件", "Contract scan") },
    { name: "lines", type: "master_detail", target: "sample_kit_line", label: label("明细", "Lines") },
  ],
};

// A 1 MB limit for this server, so the 413 is reached without sending 20 MB.
const UPLOAD_LIMIT = 1024 * 1024;
const previousLimit = process.env.UPLOAD_MAX_MB;

let server: TestServer;
let admin: TestClient;
let wanglei: TestClient;
let zhangwei: TestClient;

interface Part {
  filename: string;
  contentType: string;
  data: Buffer;
}

function multipartBody(part?: Part) {
  const boundary = `----crm-test-${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  if (part) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${part.filename}"\r\nContent-Type: ${part.contentType}\r\n\r\n`), part.data, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function upload(client: TestClient, part?: Part) {
  const { payload, headers } = multipartBody(part);
  const response = await server.built.app.inject({
    method: "POST",
    url: "/api/files",
    payload,
    headers: { ...headers, ...(client.token ? { authorization: `Bearer ${client.token}` } : {}) },
  });
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

async function download(client: TestClient, url: string) {
  const response = await server.built.app.inject({ method: "GET", url, headers: client.token ? { authorization: `Bearer ${client.token}` } : {} });
  return { status: response.statusCode, headers: response.headers, raw: response.rawPayload, body: response.body };
}

const fileUrl = (recordId: string, fileId: string) => `/api/objects/sample_kit/records/${recordId}/files/${fileId}`;
const png = (seed: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(seed.repeat(200))]);
const downloadAudits = (recordId: string) =>
  server.database.db("audit_log").withSchema("sys").where({ action: "download", record_id: recordId }).orderBy("id").select("user_id", "context");

beforeAll(async () => {
  process.env.UPLOAD_MAX_MB = "1";
  server = await startTestServer();
  admin = await server.login("admin");
  for (const definition of [sampleKitLine, sampleKit]) {
    const created = await admin.put(`/api/metadata/objects/${definition.name}`, definition);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  // Salespeople work with their own sample kits; the contract scan is hidden from them.
  const model = await server.built.server.registry.current();
  const salesRep = structuredClone(model.roles.get("sales_rep")!);
  salesRep.functions = { ...salesRep.functions, sample_kit: ["view", "create", "edit"] };
  salesRep.records = { ...salesRep.records, sample_kit: { view: { any: ["owner", "related"] }, edit: { any: ["owner", "related"] } } };
  salesRep.fields = { ...salesRep.fields, sample_kit: { contract_scan: "hidden" } };
  await server.mergeModel({ roles: [salesRep] });
  [wanglei, zhangwei] = await Promise.all(["wanglei", "zhangwei"].map((username) => server.login(username)));
});

afterAll(async () => {
  await server?.close();
  if (previousLimit === undefined) delete process.env.UPLOAD_MAX_MB;
  else process.env.UPLOAD_MAX_MB = previousLimit;
});

describe("POST /api/files", () => {
  it("stores one file with its name, type, size and sha256, and answers its summary", async () => {
    const data = png("样品");
    const response = await upload(wanglei, { filename: "样品照片 1.png", contentType: "image/png", data });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "样品照片 1.png", size: data.length, contentType: "image/png" });
    const row = await server.database.db("files").withSchema("sys").where({ id: response.body.id }).first("sha256", "uploaded_by", "size");
    expect(row).toMatchObject({ sha256: createHash("sha256").update(data).digest("hex"), size: data.length });
    const me = await wanglei.get("/api/auth/me");
    expect(row.uploaded_by).toBe(me.body.id);
  });

  it("refuses a file over the limit with 413 FILE_TOO_LARGE in both languages", async () => {
    const response = await upload(wanglei, { filename: "big.bin", contentType: "application/octet-stream", data: Buffer.alloc(UPLOAD_LIMIT + 1, 7) });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({
      code: "FILE_TOO_LARGE",
      messages: { "zh-CN": "上传的文件超过大小上限", en: "The uploaded file is larger than the upload limit" },
      details: [{ path: "/file", message: { "zh-CN": "文件不能超过 1 MB", en: "A file may be at most 1 MB" } }],
    });
    // Exactly the limit is fine.
    expect((await upload(wanglei, { filename: "edge.bin", contentType: "application/octet-stream", data: Buffer.alloc(UPLOAD_LIMIT, 7) })).status).toBe(201);
  });

  it("refuses an empty file, a request without a file and one that is not multipart with 400 naming /file", async () => {
    const empty = await upload(wanglei, { filename: "empty.txt", contentType: "text/plain", data: Buffer.alloc(0) });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "/file", message: { "zh-CN": "文件是空的", en: "The file is empty" } }] });
    const none = await upload(wanglei);
    expect(none.status).toBe(400);
    expect(none.body.error.details).toEqual([{ path: "/file", message: { "zh-CN": "请以 multipart/form-data 上传一个文件", en: "Send one file as multipart/form-data" } }]);
    const json = await wanglei.post("/api/files", { name: "x" });
    expect(json.status).toBe(400);
    expect(json.body.error.details[0].path).toBe("/file");
  });

  it("needs a signed-in user", async () => {
    const response = await upload(server.client(), { filename: "a.txt", contentType: "text/plain", data: Buffer.from("a") });
    expect(response.status).toBe(401);
  });

  it("keeps only the base name and the plain media type, and takes anything else as opaque bytes", async () => {
    const html = await upload(wanglei, { filename: "../../etc/报价.html", contentType: "Text/HTML; charset=utf-8", data: Buffer.from("<b>x</b>") });
    expect(html.status, JSON.stringify(html.body)).toBe(201);
    expect(html.body).toMatchObject({ name: "报价.html", contentType: "text/html" });
    const odd = await upload(wanglei, { filename: "data", contentType: "not a type", data: Buffer.from("x") });
    expect(odd.body).toMatchObject({ name: "data", contentType: "application/octet-stream" });
  });
});

describe("attachment fields and GET …/records/:id/files/:fileId", () => {
  let photo: { id: string; name: string; size: number; contentType: string };
  let photoBytes: Buffer;
  let kitId: string;
  let kitVersion: number;

  beforeAll(async () => {
    photoBytes = png("照片");
    photo = (await upload(wanglei, { filename: "样品照片.png", contentType: "image/png", data: photoBytes })).body;
  });

  it("attaches one's own upload: the value carries the stored name, size and type; old link items still work", async () => {
    const created = await wanglei.post("/api/objects/sample_kit/records", {
      title: "涂料样品",
      photos: [{ fileId: photo.id, name: "renamed-by-client.png", size: 1 }, { name: "规格书", url: "https://example.com/spec.pdf" }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.photos).toEqual([
      { fileId: photo.id, name: "样品照片.png", size: photoBytes.length, contentType: "image/png" },
      { name: "规格书", url: "https://example.com/spec.pdf" },
    ]);
    kitId = created.body.id;
    kitVersion = created.body.version;
    expect((await wanglei.get(`/api/objects/sample_kit/records/${kitId}`)).body.photos[0]).toMatchObject({ fileId: photo.id });
  });

  it("downloads the file for a user who can see the record, with an RFC 5987 file name, and audits it", async () => {
    const response = await download(wanglei, fileUrl(kitId, photo.id));
    expect(response.status, response.body).toBe(200);
    expect(Buffer.compare(response.raw, photoBytes)).toBe(0);
    expect(response.headers["content-type"]).toBe("image/png");
    expect(response.headers["content-disposition"]).toBe(`attachment; filename="____.png"; filename*=UTF-8''${encodeURIComponent("样品照片.png")}`);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    const me = await wanglei.get("/api/auth/me");
    expect(await downloadAudits(kitId)).toEqual([{ user_id: me.body.id, context: { username: "wanglei", field: "photos", fileId: photo.id } }]);
  });

  it("answers 404 to a user who cannot see the record, exactly as for the record itself", async () => {
    expect((await zhangwei.get(`/api/objects/sample_kit/records/${kitId}`)).status).toBe(404);
    const response = await download(zhangwei, fileUrl(kitId, photo.id));
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error.code).toBe("NOT_FOUND");
  });

  it("answers 404 for a file the record does not hold, an unknown id and a malformed id", async () => {
    const other = (await upload(wanglei, { filename: "other.txt", contentType: "text/plain", data: Buffer.from("not attached") })).body;
    for (const fileId of [other.id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const response = await download(wanglei, fileUrl(kitId, fileId));
      expect(response.status, fileId).toBe(404);
      expect(JSON.parse(response.body).error.code).toBe("NOT_FOUND");
    }
    expect(await downloadAudits(kitId)).toHaveLength(1);
  });

  it("refuses to attach another user's file, naming the item's path", async () => {
    const created = await zhangwei.post("/api/objects/sample_kit/records", { title: "张伟的样品", photos: [{ fileId: photo.id }] });
    expect(created.status).toBe(400);
    expect(created.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "/photos/0/fileId", message: { "zh-CN": "附件文件不存在，或不是您上传的", en: "The file does not exist or was not uploaded by you" } }],
    });
    const own = await zhangwei.post("/api/objects/sample_kit/records", { title: "张伟的样品" });
    expect(own.status).toBe(201);
    const updated = await zhangwei.patch(`/api/objects/sample_kit/records/${own.body.id}`, { version: own.body.version, photos: [{ fileId: photo.id }] });
    expect(updated.status).toBe(400);
    expect(updated.body.error.details[0].path).toBe("/photos/0/fileId");
    const malformed = await zhangwei.patch(`/api/objects/sample_kit/records/${own.body.id}`, { version: own.body.version, photos: [{ fileId: "x" }] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(["/photos/0/fileId"]);
  });

  it("lets another editor keep a file the field already holds, and add their own", async () => {
    const scan = (await upload(admin, { filename: "合同 (签字版).pdf", contentType: "application/pdf", data: Buffer.from("%PDF-1.4 scan") })).body;
    const updated = await admin.patch(`/api/objects/sample_kit/records/${kitId}`, {
      version: kitVersion,
      photos: [{ fileId: photo.id }],
      contract_scan: [{ fileId: scan.id }],
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.photos).toEqual([{ fileId: photo.id, name: "样品照片.png", size: photoBytes.length, contentType: "image/png" }]);
    const adminDownload = await download(admin, fileUrl(kitId, scan.id));
    expect(adminDownload.status).toBe(200);
    expect(adminDownload.raw.toString()).toBe("%PDF-1.4 scan");
    // RFC 5987 leaves no parenthesis unencoded; the ASCII fallback replaces what is not ASCII.
    expect(adminDownload.headers["content-disposition"]).toBe(
      `attachment; filename="__ (___).pdf"; filename*=UTF-8''${encodeURIComponent("合同 ")}%28${encodeURIComponent("签字版")}%29.pdf`,
    );

    // The contract scan is hidden from salespeople: the record shows without it, and its file cannot be fetched.
    const seen = await wanglei.get(`/api/objects/sample_kit/records/${kitId}`);
    expect(seen.status).toBe(200);
    expect(seen.body).not.toHaveProperty("contract_scan");
    const hidden = await download(wanglei, fileUrl(kitId, scan.id));
    expect(hidden.status).toBe(404);
    // A file removed from the record can no longer be fetched through it.
    const removed = await admin.patch(`/api/objects/sample_kit/records/${kitId}`, { version: updated.body.version, photos: [] });
    expect(removed.status).toBe(200);
    expect((await download(wanglei, fileUrl(kitId, photo.id))).status).toBe(404);
  });

  it("downloads a file held by a line through its master record", async () => {
    const tag = (await upload(wanglei, { filename: "标签.jpg", contentType: "image/jpeg", data: Buffer.from("jpeg bytes") })).body;
    const created = await wanglei.post("/api/objects/sample_kit/records", { title: "带明细的样品", lines: [{ item: "色卡", label_photo: [{ fileId: tag.id }] }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.lines[0].label_photo).toEqual([{ fileId: tag.id, name: "标签.jpg", size: 10, contentType: "image/jpeg" }]);
    const response = await download(wanglei, fileUrl(created.body.id, tag.id));
    expect(response.status).toBe(200);
    expect(response.raw.toString()).toBe("jpeg bytes");
    expect((await downloadAudits(created.body.id))[0].context).toMatchObject({ field: "lines/label_photo", fileId: tag.id });
    expect((await download(zhangwei, fileUrl(created.body.id, tag.id))).status).toBe(404);
  });
});

describe("removing uploads no record took", () => {
  it("deletes unattached files older than the grace period and keeps held, soft-deleted-held and fresh ones", async () => {
    const [held, onDeleted, abandoned, fresh] = await Promise.all(
      ["held", "deleted", "abandoned", "fresh"].map(async (seed) => (await upload(wanglei, { filename: `${seed}.png`, contentType: "image/png", data: png(seed) })).body.id as string),
    );
    const kit = await wanglei.post("/api/objects/sample_kit/records", { title: "保留的样品包", photos: [{ fileId: held }] });
    expect(kit.status, JSON.stringify(kit.body)).toBe(201);
    const deletedKit = await wanglei.post("/api/objects/sample_kit/records", { title: "已删除的样品包", lines: [{ item: "标签", label_photo: [{ fileId: onDeleted }] }] });
    expect(deletedKit.status, JSON.stringify(deletedKit.body)).toBe(201);
    expect((await admin.delete(`/api/objects/sample_kit/records/${deletedKit.body.id}`)).status).toBe(204);
    // Everything but the fresh upload was sent two days ago.
    const db = server.database.db;
    await db("files").withSchema("sys").whereIn("id", [held, onDeleted, abandoned]).update({ created_at: db.raw("now() - interval '2 days'") });

    const removed = await removeUnattachedFiles(db, await server.built.server.registry.current(), new Date(Date.now() - UNATTACHED_GRACE_MS));
    expect(removed).toBeGreaterThanOrEqual(1);
    const left = new Set((await db("files").withSchema("sys").whereIn("id", [held, onDeleted, abandoned, fresh]).select("id")).map((row: { id: string }) => row.id));
    expect(left).toEqual(new Set([held, onDeleted, fresh]));
    expect((await download(wanglei, fileUrl(kit.body.id, held))).status).toBe(200);
  });
});

describe("the OpenAPI document", () => {
  it("describes the upload and the download routes", async () => {
    const document = (await admin.get("/api/openapi.json")).body;
    expect(document.paths["/api/files"].post.requestBody.content).toHaveProperty("multipart/form-data");
    expect(document.paths["/api/objects/sample_kit/records/{id}/files/{fileId}"].get.responses).toHaveProperty("200");
    expect(document.paths).not.toHaveProperty("/api/objects/customer/records/{id}/files/{fileId}");
    const item = document.components.schemas.sample_kit_create.properties.photos.items;
    expect(item.oneOf.map((schema: { required: string[] }) => schema.required)).toEqual([["fileId"], ["name", "url"]]);
  });
});
