// The OpenAPI 3 document, generated from the current model on each request (so it is never stale).
import type { Model, CompiledObject } from "../registry/model";
import { readSchema, writeSchema } from "../records/record-schema";

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
    paths: Object.assign({}, ...objects.filter((object) => !object.parent).map(objectPaths)),
  };
}
