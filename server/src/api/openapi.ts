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
  // OpenAPI 3.0 has no if / then / else either: the two alternatives become a oneOf (attachment items).
  if (out.if && out.then && out.else) {
    out.oneOf = [out.then, out.else];
    delete out.if;
    delete out.then;
    delete out.else;
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
    [`/api/objects/${name}/records/bulk`]: {
      post: { tags: tag, summary: `Create ${label.en} records in one transaction (all or nothing)`, requestBody: { required: true, content: json({ type: "object", properties: { records: { type: "array", items: ref(`${name}_create`) } } }) }, responses: { 201: { description: "Created", content: json({ type: "object" }) }, ...errors } },
      patch: { tags: tag, summary: `Update ${label.en} records in one transaction (each with id and version)`, requestBody: { required: true, content: json({ type: "object", properties: { records: { type: "array", items: { type: "object" } } } }) }, responses: { 200: { description: "Updated", content: json({ type: "object" }) }, 409: errorResponse, ...errors } },
    },
    [`/api/objects/${name}/records/{id}/access`]: {
      get: {
        tags: tag,
        summary: "Which rule or dimension lets you (administrators: ?user=) view and edit the record, or why not",
        parameters: [idParameter, { name: "user", in: "query", schema: { type: "string" } }],
        responses: { 200: { description: "The explanation", content: json({ type: "object" }) }, ...errors },
      },
    },
    [`/api/objects/${name}/records/{id}/workflow`]: {
      get: { tags: tag, summary: "The record's workflow state, approval, the actions open to you and the history", parameters: [idParameter], responses: { 200: { description: "Workflow", content: json({ type: "object" }) }, ...errors } },
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
    ...filePaths(object),
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

/** GET …/files/{fileId}: objects whose records or lines have attachment fields. */
function filePaths(object: CompiledObject) {
  const holders = [object, ...[...object.children.values()].map((child) => object.model.objects.get(child)!)];
  if (!holders.some((holder) => holder.definition.fields.some((field) => field.type === "attachment"))) return {};
  return {
    [`/api/objects/${object.name}/records/{id}/files/{fileId}`]: {
      get: {
        tags: [object.name],
        summary: `Download a file attached to a ${object.definition.label.en} or its lines (a field you can see must hold it; audited)`,
        parameters: [idParameter, { name: "fileId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: {
          200: { description: "The file, as an attachment (Content-Disposition with an RFC 5987 filename*)", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          401: errorResponse,
          403: errorResponse,
          404: errorResponse,
        },
      },
    },
  };
}

/** Routes that do not depend on one object. */
function platformPaths(model: Model) {
  const tag = ["platform"];
  const ok = (description: string) => ({ 200: { description, content: json({ type: "object" }) }, 400: errorResponse, 401: errorResponse, 403: errorResponse });
  return {
    "/api/files": {
      post: {
        tags: tag,
        summary: "Upload one file (at most UPLOAD_MAX_MB, default 20 MB); put { fileId } in an attachment field to attach it",
        requestBody: {
          required: true,
          content: { "multipart/form-data": { schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } } } },
        },
        responses: {
          201: {
            description: "Stored",
            content: json({ type: "object", properties: { id: { type: "string", format: "uuid" }, name: { type: "string" }, size: { type: "integer" }, contentType: { type: "string" } } }),
          },
          400: errorResponse,
          401: errorResponse,
          413: errorResponse,
        },
      },
    },
    "/api/health": { get: { tags: tag, summary: "Liveness (no sign-in)", security: [], responses: { 200: { description: "Up" } } } },
    "/api/auth/login": {
      post: {
        tags: tag,
        summary: "Sign in; repeated failures are throttled without telling whether the user exists",
        security: [],
        requestBody: { required: true, content: json({ type: "object", required: ["username", "password"], properties: { username: { type: "string" }, password: { type: "string" } } }) },
        responses: { ...ok("A token and the user"), 429: errorResponse },
      },
    },
    "/api/auth/logout": { post: { tags: tag, summary: "Sign out (clears the cookie)", responses: ok("Signed out") } },
    "/api/auth/me": { get: { tags: tag, summary: "The signed-in user, their department and menus", responses: ok("The user") } },
    "/api/metadata/objects": { get: { tags: tag, summary: "Every object you may view, described for you (hidden / read-only fields, actions, layout)", responses: ok("Objects") } },
    "/api/metadata/objects/{object}": {
      get: { tags: tag, summary: "One object described for you", parameters: [{ name: "object", in: "path", required: true, schema: { type: "string" } }], responses: ok("The object") },
      put: {
        tags: tag,
        summary: "Create or change an object (administrators); ?dryRun=1 answers the DDL plan; dropping or narrowing needs ?confirm",
        parameters: [{ name: "object", in: "path", required: true, schema: { type: "string" } }, { name: "dryRun", in: "query", schema: { type: "string" } }],
        responses: ok("The plan or the applied change"),
      },
    },
    "/api/metadata/objects/{object}/history": { get: { tags: tag, summary: "Versions of an object's definition", parameters: [{ name: "object", in: "path", required: true, schema: { type: "string" } }], responses: ok("History") } },
    "/api/metadata/option-sets": { get: { tags: tag, summary: "Option sets", responses: ok("Option sets") } },
    "/api/metadata/option-sets/{name}": { put: { tags: tag, summary: "Create or change an option set (administrators)", parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }], responses: ok("Saved") } },
    "/api/packs/apply": { post: { tags: tag, summary: "Apply a pack (administrators); applying it again changes nothing", responses: ok("What changed") } },
    "/api/packs/export": { get: { tags: tag, summary: "The current model as a pack (administrators)", responses: ok("The pack") } },
    "/api/admin/users": { get: { tags: tag, summary: "Login accounts (administrators)", responses: ok("Users") }, post: { tags: tag, summary: "Create a login account (administrators)", responses: ok("Created") } },
    "/api/admin/users/{username}": { patch: { tags: tag, summary: "Change an account: roles, employee, active, password (administrators)", parameters: [{ name: "username", in: "path", required: true, schema: { type: "string" } }], responses: ok("Saved") } },
    "/api/approvals/inbox": { get: { tags: tag, summary: "Approvals waiting for you, with the step, the record's state and who submitted", responses: ok("Tasks") } },
    "/api/notifications": { get: { tags: tag, summary: "Your newest notifications (?unread=true for unread only)", parameters: [{ name: "unread", in: "query", schema: { type: "boolean" } }], responses: ok("Notifications") } },
    "/api/notifications/{id}/read": { post: { tags: tag, summary: "Mark one of your notifications read", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }], responses: { ...ok("Read"), 404: errorResponse } } },
    "/api/notifications/read-all": { post: { tags: tag, summary: "Mark all your unread notifications read", responses: ok("How many were marked") } },
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
