// Metadata routes: read object definitions, and change them with a previewable DDL plan.
import type { FastifyInstance } from "fastify";
import type { ObjectDefinition, OptionSetDefinition } from "@crm/metadata";
import { changeModel } from "../registry/change";
import { validationFailed } from "../errors/errors";
import { objectOf } from "../records/service";
import { readSchema } from "../records/record-schema";
import { ACTIONS, actionPermission } from "@crm/metadata";
import type { AccessContext } from "../access/context";
import { fieldMask, mayPerform } from "../access/permissions";
import { visibleLayout } from "../access/layout-visibility";
import { layoutOf } from "../registry/layouts";
import { recordsContext, requireActor, requireAdmin, type ServerContext } from "./context";

const flag = (value: string | undefined) => value === "1" || value === "true";

/** What GET adds to a definition; a client may PUT back what it read, so these are dropped, not refused. */
const DESCRIBED_KEYS = ["systemFields", "parent", "relations", "recordSchema", "modelVersion", "access", "layout"] as const;

function withoutHidden(schema: Record<string, unknown>, hidden: ReadonlySet<string>) {
  const properties = Object.fromEntries(Object.entries(schema.properties as object).filter(([name]) => !hidden.has(name)));
  return { ...schema, properties };
}

/** The definition as this user may see it, with what they may do and which fields are hidden / read-only. */
function describeObject(object: ReturnType<typeof objectOf>, access: AccessContext) {
  const mask = fieldMask(access, object);
  return {
    ...object.definition,
    fields: object.definition.fields.filter((field) => !mask.hidden.has(field.name)),
    access: {
      // Built-in permissions and the object's declared actions (convert, generate_order …) this user may run.
      actions: [
        ...ACTIONS.filter((action) => mayPerform(access, object, action)),
        ...(object.definition.actions ?? []).filter((action) => mayPerform(access, object, actionPermission(action))).map((action) => action.name),
      ],
      hidden: [...mask.hidden].filter((name) => object.fieldByName.has(name) || ["owner_id", "department_id", "related_employee_ids", "customer_id"].includes(name)),
      readOnly: [...mask.readOnly].filter((name) => object.fieldByName.has(name) || ["owner_id", "department_id", "related_employee_ids", "customer_id"].includes(name)),
    },
    systemFields: object.columns.filter((column) => !column.declared && object.readColumns.includes(column.name)).map((column) => column.name),
    parent: object.parent ?? null,
    relations: [...object.relations.values()],
    recordSchema: withoutHidden(readSchema(object), mask.hidden),
    // The stored layout document, or the default computed from the definition; never with hidden fields.
    layout: visibleLayout({ layout: layoutOf(object), object, access }),
    modelVersion: object.model.version,
  };
}

export function registerMetadataRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/metadata/objects", async (request) => {
    const { model, access } = await recordsContext(server, request);
    // Menus are built from this list: objects the user may not view are not in it.
    const visible = [...model.objects.values()].filter((object) => mayPerform(access, object, "view"));
    return { version: model.version, objects: visible.map((object) => describeObject(object, access)) };
  });

  app.get("/api/metadata/objects/:object", async (request) => {
    const { model, access } = await recordsContext(server, request);
    return describeObject(objectOf(model, (request.params as { object: string }).object), access);
  });

  app.put("/api/metadata/objects/:object", async (request, reply) => {
    const actor = requireAdmin(request);
    const name = (request.params as { object: string }).object;
    const query = request.query as Record<string, string | undefined>;
    const body = request.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw validationFailed([{ path: "/", message: { "zh-CN": "请求体必须是对象定义", en: "The body must be an object definition" } }]);
    }
    const model = await server.registry.current();
    const current = model.objects.get(name)?.definition;
    const definition = { ...(body as ObjectDefinition) };
    for (const key of DESCRIBED_KEYS) delete (definition as unknown as Record<string, unknown>)[key];
    definition.name ??= name;
    if (current && !definition.id) definition.id = current.id;
    if (!current && definition.name !== name) {
      throw validationFailed([{ path: "/name", message: { "zh-CN": "对象名与路径不一致", en: "The object name does not match the path" } }]);
    }
    const result = await changeModel(server.db, {
      objects: [definition],
      mode: "replace",
      dryRun: flag(query.dryRun),
      confirmDestructive: flag(query.confirm),
      actor,
      source: "api",
    });
    if (result.applied) server.registry.invalidate();
    if (result.applied && !current) reply.status(201);
    return { applied: result.applied, dryRun: flag(query.dryRun), version: result.version, plan: result.plan, object: result.objects[0] };
  });

  app.get("/api/metadata/option-sets", async (request) => {
    requireActor(request);
    const model = await server.registry.current();
    return { optionSets: [...model.optionSets.values()] };
  });

  app.put("/api/metadata/option-sets/:name", async (request) => {
    const actor = requireAdmin(request);
    const name = (request.params as { name: string }).name;
    const set = { ...(request.body as OptionSetDefinition), name };
    const query = request.query as Record<string, string | undefined>;
    const result = await changeModel(server.db, { optionSets: [set], mode: "merge", dryRun: flag(query.dryRun), actor, source: "api" });
    if (result.applied) server.registry.invalidate();
    return { applied: result.applied, version: result.version, plan: result.plan };
  });

  app.get("/api/metadata/objects/:object/history", async (request) => {
    requireActor(request);
    const model = await server.registry.current();
    const object = objectOf(model, (request.params as { object: string }).object);
    const rows = await server.db("metadata_history")
      .withSchema("sys")
      .where({ kind: "object", document_id: object.definition.id })
      .orderBy("model_version", "desc")
      .select("model_version", "name", "definition", "changed_at");
    return { history: rows.map((row) => ({ version: Number(row.model_version), name: row.name, changedAt: row.changed_at, definition: row.definition })) };
  });
}
