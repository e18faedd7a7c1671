// Saved list views of the signed-in user: thin routes over server/src/views.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createView, deleteView, listViews, updateView } from "../views/saved-views";
import { noContent, recordsContext, type ServerContext } from "./context";

type Params = { object: string; id: string };

export function registerViewRoutes(app: FastifyInstance, server: ServerContext): void {
  const context = (request: FastifyRequest) => recordsContext(server, request);
  const params = (request: FastifyRequest) => request.params as Params;

  app.get("/api/objects/:object/views", async (request) => ({ views: await listViews(await context(request), params(request).object) }));

  app.post("/api/objects/:object/views", async (request, reply) => {
    const view = await createView(await context(request), params(request).object, request.body);
    reply.status(201);
    return view;
  });

  app.patch("/api/objects/:object/views/:id", async (request) => updateView(await context(request), params(request).object, params(request).id, request.body));

  app.delete("/api/objects/:object/views/:id", async (request, reply) => {
    await deleteView(await context(request), params(request).object, params(request).id);
    return noContent(reply);
  });
}
