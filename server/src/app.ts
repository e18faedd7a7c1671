// Builds the HTTP server: database, model registry, auth, and the thin route modules.
import Fastify, { type FastifyInstance } from "fastify";
import cookie from "@fastify/cookie";
import { openDatabase, type Database } from "./db/connect";
import { Registry } from "./registry/store";
import { loadTokenSecret } from "./auth/tokens";
import { registerErrorHandler } from "./api/error-handler";
import { registerAuth } from "./api/auth-routes";
import { registerRecordRoutes } from "./api/record-routes";
import { registerMetadataRoutes } from "./api/metadata-routes";
import { registerPackRoutes } from "./api/pack-routes";
import { registerUserRoutes } from "./api/user-routes";
import { registerExportRoutes } from "./api/export-routes";
import { registerActionRoutes } from "./api/action-routes";
import { registerLayoutRoutes } from "./api/layout-routes";
import { registerPrintRoutes } from "./api/print-routes";
import { crmActionResolver } from "./actions/crm-actions";
import { registerPriceRoutes } from "./api/price-routes";
import { registerWorkflowRoutes } from "./api/workflow-routes";
import { registerActionResolver } from "./actions/registry";
import { workflowActionResolver } from "./workflow/actions";
import { createJobQueue, type JobQueue } from "./jobs";
import { registerWorkflowJobs, workflowRecordsListener } from "./workflow/triggers";
import { registerFileJobs } from "./files/cleanup";
import { onRecordsWritten } from "./records/events";
import { registerReportRoutes } from "./api/report-routes";
import { registerOverviewRoutes } from "./api/overview-routes";
import { registerCalendarRoutes } from "./api/calendar-routes";
import { registerViewRoutes } from "./api/view-routes";
import { registerFileRoutes } from "./api/file-routes";
import { buildOpenApiDocument } from "./api/openapi";
import { registerUiRoutes } from "./api/ui-routes";
import { createCaches, type ServerContext } from "./api/context";

export interface AppOptions {
  database?: Database;
  databaseUrl?: string;
  dataDir?: string;
  redisUrl?: string;
  logger?: boolean;
  /** How long users and access contexts are reused (ms); 0 reloads them on every request. */
  accessCacheMs?: number;
  /** Built runtime UI to serve at "/" (default runtime-ui/dist); nothing is served when it has no index.html. */
  uiDist?: string;
  /** Largest file POST /api/files accepts (bytes); default UPLOAD_MAX_MB, else 20 MB. */
  maxUploadBytes?: number;
}

export interface BuiltApp {
  app: FastifyInstance;
  server: ServerContext;
  database: Database;
  /** Jobs: run here in embedded mode; with REDIS_URL only enqueued here and run by `npm run worker`. */
  jobs: JobQueue;
  close(): Promise<void>;
}

export async function buildApp(options: AppOptions = {}): Promise<BuiltApp> {
  const database = options.database ?? (await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir }));
  const server: ServerContext = {
    db: database.db,
    databaseMode: database.mode,
    registry: new Registry(database.db),
    caches: createCaches(options.accessCacheMs),
    tokenSecret: await loadTokenSecret(database.db),
    queueMode: options.redisUrl ? "redis" : "in-process",
  };
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 5 * 1024 * 1024 });
  // Cookies are parsed by the authentication hook, and only when a request has no bearer token.
  await app.register(cookie, { hook: false });
  registerErrorHandler(app);
  registerAuth(app, server);
  app.get("/api/health", async () => ({
    status: "ok",
    database: server.databaseMode,
    queue: server.queueMode,
    modelVersion: (await server.registry.current()).version,
  }));
  app.get("/api/openapi.json", async () => buildOpenApiDocument(await server.registry.current()));
  registerMetadataRoutes(app, server);
  registerRecordRoutes(app, server);
  registerPackRoutes(app, server);
  registerUserRoutes(app, server);
  registerExportRoutes(app, server);
  registerActionRoutes(app, server);
  registerLayoutRoutes(app, server);
  registerPrintRoutes(app, server);
  registerActionResolver(crmActionResolver);
  registerPriceRoutes(app, server);
  registerActionResolver(workflowActionResolver);
  registerWorkflowRoutes(app, server);
  registerReportRoutes(app, server);
  registerOverviewRoutes(app, server);
  registerCalendarRoutes(app, server);
  registerViewRoutes(app, server);
  registerFileRoutes(app, server, { maxUploadBytes: options.maxUploadBytes });
  // The runtime UI at "/", when runtime-ui/dist exists (npm start builds it; API tests run without it).
  await registerUiRoutes(app, options.uiDist);
  const jobs = createJobQueue({ redisUrl: options.redisUrl });
  await registerWorkflowJobs(jobs, { db: server.db, registry: server.registry });
  await registerFileJobs(jobs, { db: server.db, registry: server.registry });
  if (jobs.mode === "in-process") await jobs.start();
  const stopTriggers = onRecordsWritten(workflowRecordsListener(jobs));
  return {
    app,
    server,
    database,
    jobs,
    close: async () => {
      stopTriggers();
      await jobs.close();
      await app.close();
      if (!options.database) await database.close();
    },
  };
}
