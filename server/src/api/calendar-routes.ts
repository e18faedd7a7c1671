// Calendar route (员工日程): thin wrapper over calendar/calendar.
import type { FastifyInstance } from "fastify";
import { employeeCalendar } from "../calendar/calendar";
import { recordsContext, type ServerContext } from "./context";

export function registerCalendarRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/calendar", async (request) => employeeCalendar(await recordsContext(server, request), request.query));
}
