// Pack routes: apply a pack sent as JSON (with a dry-run preview), export the current model as a pack.
import type { FastifyInstance } from "fastify";
import type { PackDocument } from "@crm/metadata";
import { applyPack, exportPack } from "../packs/apply";
import { requireAdmin, type ServerContext } from "./context";

export function registerPackRoutes(app: FastifyInstance, server: ServerContext): void {
  app.post("/api/packs/apply", async (request) => {
    const actor = requireAdmin(request);
    const query = request.query as Record<string, string | undefined>;
    const result = await applyPack(server.db, request.body as PackDocument, { actor, dryRun: query.dryRun === "1" || query.dryRun === "true" });
    if (result.changed) server.registry.invalidate();
    return result;
  });

  app.get("/api/packs/export", async (request) => {
    requireAdmin(request);
    const model = await server.registry.current();
    return exportPack(server.db, {
      name: "export",
      version: `0.0.${model.version}`,
      label: { "zh-CN": "导出的元数据", en: "Exported metadata" },
    });
  });
}
