// POST /api/objects/:object/records/:id/actions/:action: runs an action declared in metadata.
import type { FastifyInstance } from "fastify";
import { notFound } from "../errors/errors";
import { objectOf } from "../records/service";
import { resolveAction } from "../actions/registry";
import { recordsContext, type ServerContext } from "./context";

type Params = { object: string; id: string; action: string };

export function registerActionRoutes(app: FastifyInstance, server: ServerContext): void {
  app.post("/api/objects/:object/records/:id/actions/:action", async (request, reply) => {
    const { object, id, action } = request.params as Params;
    const context = await recordsContext(server, request);
    objectOf(context.model, object);
    const handler = resolveAction(context.model, object, action);
    if (!handler) {
      throw notFound({ "zh-CN": `${object} 没有名为 ${action} 的操作`, en: `${object} has no action named ${action}` });
    }
    const result = await handler({ server, context, object, recordId: id, action, body: request.body });
    reply.status(result.status ?? 200);
    return result.body;
  });
}
