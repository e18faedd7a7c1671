// Layout routes: read an object's layout (as the caller may see it), replace it (administrators, with a dry run).
import type { FastifyInstance } from "fastify";
import type { LayoutDefinition } from "@crm/metadata";
import { changeModel } from "../registry/change";
import { layoutOf } from "../registry/layouts";
import { validationFailed } from "../errors/errors";
import { objectOf } from "../records/service";
import { assertMayPerform } from "../access/permissions";
import { visibleLayout } from "../access/layout-visibility";
import { recordsContext, requireAdmin, type ServerContext } from "./context";

const flag = (value: string | undefined) => value === "1" || value === "true";

/** What GET wraps around the document; a client may PUT back what it read, so these keys are unwrapped. */
function layoutFromBody(body: unknown, objectName: string): LayoutDefinition {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw validationFailed([{ path: "/", message: { "zh-CN": "请求体必须是布局定义", en: "The body must be a layout definition" } }]);
  }
  const wrapped = (body as { layout?: unknown }).layout;
  const layout = { ...((wrapped && typeof wrapped === "object" ? wrapped : body) as LayoutDefinition) };
  layout.object ??= objectName;
  if (layout.object !== objectName) {
    throw validationFailed([{ path: "/object", message: { "zh-CN": "布局所属对象与路径不一致", en: "The layout's object does not match the path" } }]);
  }
  return layout;
}

export function registerLayoutRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/metadata/layouts/:object", async (request) => {
    const { model, access } = await recordsContext(server, request);
    const object = objectOf(model, (request.params as { object: string }).object);
    assertMayPerform(access, object, "view");
    return {
      object: object.name,
      isDefault: !model.layouts.has(object.name),
      modelVersion: model.version,
      layout: visibleLayout({ layout: layoutOf(object), object, access }),
    };
  });

  app.put("/api/metadata/layouts/:object", async (request) => {
    const actor = requireAdmin(request);
    const name = (request.params as { object: string }).object;
    const query = request.query as Record<string, string | undefined>;
    objectOf(await server.registry.current(), name);
    const layout = layoutFromBody(request.body, name);
    const dryRun = flag(query.dryRun);
    const result = await changeModel(server.db, { layouts: [layout], mode: "merge", dryRun, actor, source: "api" });
    if (result.applied) server.registry.invalidate();
    return { applied: result.applied, dryRun, version: result.version, changed: result.changedLayouts.includes(name), layout };
  });
}
