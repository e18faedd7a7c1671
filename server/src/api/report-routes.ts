// Report routes: the reports the caller may run, and one report's figures within the caller's permissions.
import type { FastifyInstance } from "fastify";
import { listReports, runReport } from "../reports/registry";
import { recordsContext, type ServerContext } from "./context";

export function registerReportRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/reports", async (request) => ({ reports: listReports(await recordsContext(server, request)) }));

  app.get("/api/reports/:report", async (request) =>
    runReport(await recordsContext(server, request), (request.params as { report: string }).report, request.query),
  );
}
