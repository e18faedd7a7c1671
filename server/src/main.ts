// Starts the server: PORT, DATA_DIR (embedded database) or DATABASE_URL, REDIS_URL, DEMO.
import { buildApp } from "./app";
import { prepareDatabase } from "./packs/boot";

const port = Number(process.env.PORT ?? 3000);
const demo = (process.env.DEMO ?? "1") !== "0";
const dataDir = process.env.DATA_DIR ?? "./data";

const built = await buildApp({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir,
  redisUrl: process.env.REDIS_URL || undefined,
  logger: true,
});
await prepareDatabase(built.database.db, {
  demo,
  adminPassword: process.env.ADMIN_PASSWORD,
  // A first start in demo mode comes up with a small data set (npm run demo:generate makes larger ones).
  demoCustomers: demo ? Number(process.env.DEMO_CUSTOMERS ?? 200) : undefined,
  log: (line) => built.app.log.warn(line),
  registry: built.server.registry,
});
await built.app.listen({ port, host: process.env.HOST ?? "0.0.0.0" });
built.app.log.info(
  `CRM platform on http://localhost:${port} (${built.database.mode === "embedded" ? `embedded database in ${dataDir}` : "PostgreSQL"})` +
    (demo ? ' — demo mode: sign in as "admin" / "demo123"' : ""),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    built.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
