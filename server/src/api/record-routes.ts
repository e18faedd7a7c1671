// Generic record routes for every object: thin wrappers that parse, call the records service, and reply.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { validationFailed } from "../errors/errors";
import {
  createRecord,
  createRecords,
  deleteRecord,
  getRecord,
  listRecords,
  listRelated,
  MAX_BULK,
  recordHistory,
  explainRecordAccess,
  updateRecord,
  updateRecords,
  type ListParameters,
} from "../records/service";
import { noContent, recordsContext, type ServerContext } from "./context";

type Params = { object: string; id: string; relation: string };
type Query = Record<string, string | undefined>;

const invalidParameter = (name: string, zh: string, en: string) => validationFailed([{ path: `/${name}`, message: { "zh-CN": zh, en } }]);

/** Query-string list parameters; every malformed value is a 400 naming the parameter. */
export function parseListQuery(query: Query): ListParameters {
  const params: ListParameters = { sort: query.sort, cursor: query.cursor, q: query.q };
  if (query.filter !== undefined) {
    if (query.filter.length > 20_000) throw invalidParameter("filter", "筛选条件过长", "The filter is too long");
    try {
      params.filter = JSON.parse(query.filter);
    } catch {
      throw invalidParameter("filter", "filter 必须是 JSON 格式的 json-logic 表达式", "filter must be a JSON json-logic expression");
    }
  }
  if (query.limit !== undefined) {
    if (!/^\d{1,6}$/.test(query.limit)) throw invalidParameter("limit", "limit 必须是整数", "limit must be an integer");
    params.limit = Number(query.limit);
  }
  if (query.count !== undefined) params.count = query.count === "true" || query.count === "1";
  return params;
}

function bulkItems(body: unknown): unknown[] {
  const records = (body as { records?: unknown })?.records;
  if (!Array.isArray(records) || records.length === 0 || records.length > MAX_BULK) {
    throw invalidParameter("records", `records 必须是 1 到 ${MAX_BULK} 条记录的数组`, `records must be an array of 1 to ${MAX_BULK} records`);
  }
  return records;
}

export function registerRecordRoutes(app: FastifyInstance, server: ServerContext): void {
  const context = (request: FastifyRequest) => recordsContext(server, request);
  const params = (request: FastifyRequest) => request.params as Params;

  app.get("/api/objects/:object/records", async (request) =>
    listRecords(await context(request), params(request).object, parseListQuery(request.query as Query)),
  );

  app.post("/api/objects/:object/records", async (request, reply) => {
    reply.status(201);
    return createRecord(await context(request), params(request).object, request.body);
  });

  app.post("/api/objects/:object/records/bulk", async (request, reply) => {
    const records = await createRecords(await context(request), params(request).object, bulkItems(request.body), (index) => `/records/${index}`);
    reply.status(201);
    return { records };
  });

  app.patch("/api/objects/:object/records/bulk", async (request) => {
    const items = bulkItems(request.body).map((item, index) => {
      const { id, ...body } = (item ?? {}) as { id?: unknown };
      if (typeof id !== "string") throw invalidParameter(`records/${index}/id`, "缺少记录 id", "The record id is missing");
      return { id, body };
    });
    return { records: await updateRecords(await context(request), params(request).object, items, (index) => `/records/${index}`) };
  });

  app.get("/api/objects/:object/records/:id", async (request) => getRecord(await context(request), params(request).object, params(request).id));

  app.patch("/api/objects/:object/records/:id", async (request) =>
    updateRecord(await context(request), params(request).object, params(request).id, request.body),
  );

  app.delete("/api/objects/:object/records/:id", async (request, reply) => {
    const version = (request.query as Query).version;
    if (version !== undefined && !/^\d{1,9}$/.test(version)) throw invalidParameter("version", "version 必须是整数", "version must be an integer");
    await deleteRecord(await context(request), params(request).object, params(request).id, version === undefined ? undefined : Number(version));
    return noContent(reply);
  });

  app.get("/api/objects/:object/records/:id/related/:relation", async (request) => {
    const { object, id, relation } = params(request);
    return listRelated(await context(request), object, id, relation, parseListQuery(request.query as Query));
  });

  app.get("/api/objects/:object/records/:id/access", async (request) => {
    const { object, id } = params(request);
    const username = (request.query as Query).user;
    return explainRecordAccess(await context(request), { objectName: object, id, username });
  });

  app.get("/api/objects/:object/records/:id/history", async (request) => {
    const { object, id } = params(request);
    return { history: await recordHistory(await context(request), object, id) };
  });
}
