// Workflow and approval routes: my approval inbox, a record's workflow, my notifications.
import type { FastifyInstance } from "fastify";
import { notFound, validationFailed } from "../errors/errors";
import { UUID } from "../registry/columns";
import { approvalInbox, workflowView } from "../workflow/view";
import { listNotifications, markAllNotificationsRead, markNotificationRead } from "../workflow/notifications";
import { recordsContext, requireActor, type ServerContext } from "./context";

export function registerWorkflowRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/approvals/inbox", async (request) => approvalInbox(await recordsContext(server, request)));

  app.get("/api/objects/:object/records/:id/workflow", async (request) => {
    const { object, id } = request.params as { object: string; id: string };
    return workflowView(await recordsContext(server, request), object, id);
  });

  app.get("/api/notifications", async (request) => {
    const actor = requireActor(request);
    const { unread } = request.query as { unread?: string };
    if (unread !== undefined && !["true", "false", "1", "0"].includes(unread)) {
      throw validationFailed([{ path: "/unread", message: { "zh-CN": "unread 必须是 true 或 false", en: "unread must be true or false" } }]);
    }
    return { notifications: await listNotifications(server.db, actor.userId, { unreadOnly: unread === "true" || unread === "1" }) };
  });

  // Everything unread, not only the page the bell shows.
  app.post("/api/notifications/read-all", async (request) => {
    const actor = requireActor(request);
    return { read: await markAllNotificationsRead(server.db, actor.userId) };
  });

  app.post("/api/notifications/:id/read", async (request) => {
    const actor = requireActor(request);
    const { id } = request.params as { id: string };
    // Someone else's notification does not exist for this user.
    if (!UUID.test(id) || !(await markNotificationRead(server.db, actor.userId, id))) {
      throw notFound({ "zh-CN": "通知不存在", en: "Notification not found" });
    }
    return { id, read: true };
  });
}
