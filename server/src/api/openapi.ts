// The OpenAPI 3 document, generated from the current model on each request (so it is never stale).
import type { Model, CompiledObject } from "../registry/model";
import { readSchema, writeSchema } from "../records/record-schema";
import { layoutOf } from "../registry/layouts";
import { REPORTS } from "../reports/registry";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const errorResponse = { description: "Error", content: json(ref("Error")) };

const listParameters = [
  { name: "filter", in: "query", schema: { type: "string" }, description: "URL-encoded json-logic over field names" },
  { name: "sort", in: "query", schema: { type: "string" }, description: "e.g. -amount,name" },
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
  { name: "cursor", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page" },
  { name: "q", in: "query", schema: { type: "string" }, description: "search text" },
  { name: "count", in: "query", schema: { type: "boolean" }, description: "adds total" },
];
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };

/** OpenAPI 3.0 has no JSON Schema type arrays: ["string", "null"] becomes nullable. */
function toOpenApiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApiSchema);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "maxScale") continue;
    out[key] = key === "properties" ? Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, toOpenApiSchema(child)])) : toOpenApiSchema(value);
  }
  if (Array.isArray(out.type)) {
    const types = (out.type as string[]).filter((type) => type !== "null");
    out.type = types[0];
    if (types.length < (schema as { type: string[] }).type.length) out.nullable = true;
    if (Array.isArray(out.enum)) out.enum = (out.enum as unknown[]).filter((value) => value !== null);
  }
  return out;
}

function objectPaths(object: CompiledObject) {
  const name = object.name;
  const tag = [name];
  const label = object.definition.label;
  const record = ref(`${name}`);
  const list = { type: "object", properties: { records: { type: "array", items: record }, nextCursor: { type: "string", nullable: true }, total: { type: "integer" } } };
  const errors = { 400: errorResponse, 401: errorResponse, 404: errorResponse };
  return {
    [`/api/objects/${name}/records`]: {
      get: { tags: tag, summary: `List ${label.en} (${label["zh-CN"]})`, parameters: listParameters, responses: { 200: { description: "A page", content: json(list) }, ...errors } },
      post: { tags: tag, summary: `Create ${label.en}`, requestBody: { required: true, content: json(ref(`${name}_create`)) }, responses: { 201: { description: "Created", content: json(record) }, ...errors } },
    },
    [`/api/objects/${name}/records/{id}`]: {
      get: { tags: tag, summary: `Get ${label.en}`, parameters: [idParameter], responses: { 200: { description: "The record", content: json(record) }, ...errors } },
      patch: {
        tags: tag,
        summary: `Update ${label.en} (partial, with version check)`,
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref(`${name}_update`)) },
        responses: { 200: { description: "Updated", content: json(record) }, 409: errorResponse, ...errors },
      },
      delete: { tags: tag, summary: `Delete ${label.en} (soft)`, parameters: [idParameter], responses: { 204: { description: "Deleted" }, ...errors } },
    },
    [`/api/objects/${name}/records/{id}/history`]: {
      get: { tags: tag, summary: `Audit history of a ${label.en}`, parameters: [idParameter], responses: { 200: { description: "History" }, ...errors } },
    },
    [`/api/objects/${name}/records/{id}/overview`]: {
      get: {
        tags: tag,
        summary: `${label.en} with the count and newest records of every related list you may see (客户全貌 for customers)`,
        parameters: [idParameter],
        responses: { 200: { description: "The overview", content: json({ type: "object" }) }, ...errors },
      },
    },
    [`/api/objects/${name}/export`]: {
      get: {
        tags: tag,
        summary: `Export ${label.en} (needs the export permission; audited)`,
        parameters: [{ name: "format", in: "query", schema: { type: "string", enum: ["csv", "xlsx"] } }, ...listParameters.filter((parameter) => !["cursor", "limit", "count"].includes(parameter.name))],
        responses: { 200: { description: "The file" }, 403: errorResponse, ...errors },
      },
    },
    [`/api/objects/${name}/views`]: {
      get: { tags: tag, summary: `Your saved views of ${label.en} lists`, responses: { 200: { description: "Views", content: json({ type: "object" }) }, ...errors } },
      post: { tags: tag, summary: "Save a view (name, filter json-logic, sort, columns)", requestBody: { required: true, content: json({ type: "object" }) }, responses: { 201: { description: "Saved" }, ...errors } },
    },
    [`/api/objects/${name}/views/{viewId}`]: {
      patch: { tags: tag, summary: "Change one of your views", parameters: [{ name: "viewId", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "Saved" }, ...errors } },
      delete: { tags: tag, summary: "Delete one of your views", parameters: [{ name: "viewId", in: "path", required: true, schema: { type: "string" } }], responses: { 204: { description: "Deleted" }, ...errors } },
    },
    ...actionPaths(object),
    ...printPaths(object),
    ...(object.relations.size
      ? {
          [`/api/objects/${name}/records/{id}/related/{relation}`]: {
            get: {
              tags: tag,
              summary: `Related lists of a ${label.en}`,
              parameters: [idParameter, { name: "relation", in: "path", required: true, schema: { type: "string", enum: [...object.relations.keys()] } }, ...listParameters],
              responses: { 200: { description: "A page", content: json({ type: "object" }) }, ...errors },
            },
          },
        }
      : {}),
  };
}

/** POST …/actions/{action}: the object's declared actions (convert, generate_order …) and workflow actions. */
function actionPaths(object: CompiledObject) {
  const declared = (object.definition.actions ?? []).map((action) => action.name);
  const workflow = object.model.workflows?.get(object.name)?.stateField ? ["submit", "approve", "reject", "add_approver", "hand_over"] : [];
  const names = [...new Set([...declared, ...workflow])];
  if (names.length === 0) return {};
  return {
    [`/api/objects/${object.name}/records/{id}/actions/{action}`]: {
      post: {
        tags: [object.name],
        summary: `Run a declared action on a ${object.definition.label.en}`,
        parameters: [idParameter, { name: "action", in: "path", required: true, schema: { type: "string", enum: names } }],
        requestBody: { required: false, content: json({ type: "object" }) },
        responses: { 200: { description: "Done" }, 201: { description: "Done; records were created" }, 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 422: errorResponse },
      },
    },
  };
}

function printPaths(object: CompiledObject) {
  const templates = (layoutOf(object).print ?? []).map((template) => template.name);
  if (templates.length === 0) return {};
  return {
    [`/api/objects/${object.name}/records/{id}/print`]: {
      get: {
        tags: [object.name],
        summary: `Printable HTML of a ${object.definition.label.en} (needs the print permission; audited)`,
        parameters: [
          idParameter,
          { name: "template", in: "query", schema: { type: "string", enum: templates } },
          { name: "locale", in: "query", schema: { type: "string", enum: ["zh-CN", "en"] } },
        ],
        responses: { 200: { description: "HTML", content: { "text/html": { schema: { type: "string" } } } }, 403: errorResponse, 404: errorResponse },
      },
    },
  };
}

/** Routes that do not depend on one object. */
function platformPaths(model: Model) {
  const tag = ["platform"];
  const ok = (description: string) => ({ 200: { description, content: json({ type: "object" }) }, 400: errorResponse, 401: errorResponse, 403: errorResponse });
  return {
    "/api/reports": { get: { tags: tag, summary: "The reports you may run", responses: ok("Reports") } },
    "/api/reports/{report}": {
      get: {
        tags: tag,
        summary: "Run a report: SQL aggregation within your record scope",
        parameters: [
          { name: "report", in: "path", required: true, schema: { type: "string", enum: [...REPORTS.keys()] } },
          ...["from", "to", "department_id", "owner_id"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
          { name: "include_subdepartments", in: "query", schema: { type: "boolean" } },
        ],
        responses: ok("Report rows and totals"),
      },
    },
    "/api/calendar": {
      get: {
        tags: tag,
        summary: "Activities overlapping a date range (at most 92 days), of an employee (default: you)",
        parameters: ["from", "to", "employee_id"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
        responses: ok("Activities"),
      },
    },
    "/api/prices/resolve": {
      get: {
        tags: tag,
        summary: "The price a document line gets: customer price, else salesperson price, else inventory price",
        parameters: ["customer_id", "inventory_id", "salesperson_id", "date"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
        responses: ok("The price and where it came from"),
      },
    },
    "/api/metadata/layouts/{object}": {
      get: { tags: tag, summary: "An object's layout document", parameters: [{ name: "object", in: "path", required: true, schema: { type: "string", enum: [...model.objects.keys()] } }], responses: ok("Layout") },
      put: { tags: tag, summary: "Change an object's layout (administrators; ?dryRun=1 validates only)", parameters: [{ name: "object", in: "path", required: true, schema: { type: "string" } }], responses: ok("Layout") },
    },
  };
}

export function buildOpenApiDocument(model: Model): Record<string, unknown> {
  const objects = [...model.objects.values()];
  const schemas: Record<string, unknown> = {
    Error: {
      type: "object",
      properties: {
        error: {
          type: "object",
          properties: {
            code: { type: "string" },
            message: { type: "string" },
            details: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "object" } } } },
          },
        },
      },
    },
  };
  for (const object of objects) {
    schemas[object.name] = toOpenApiSchema(readSchema(object));
    schemas[`${object.name}_create`] = toOpenApiSchema(writeSchema(object, "create"));
    schemas[`${object.name}_update`] = toOpenApiSchema(writeSchema(object, "update"));
  }
  return {
    openapi: "3.0.3",
    info: { title: "CRM platform API", version: `model-${model.version}`, description: "Generated from the current metadata." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } }, schemas },
    security: [{ bearer: [] }],
    paths: Object.assign({}, ...objects.filter((object) => !object.parent).map(objectPaths), platformPaths(model)),
  };
}
