// Record overview route (客户全貌 for customers): thin wrapper over records/overview.
import type { FastifyInstance } from "fastify";
import { recordOverview } from "../records/overview";
import { recordsContext, type ServerContext } from "./context";

export function registerOverviewRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/objects/:object/records/:id/overview", async (request) => {
    const { object, id } = request.params as { object: string; id: string };
    return recordOverview(await recordsContext(server, request), object, id);
  });
}
