// The hand-written baseline: fastify + one pg.Pool, the same queries written out by hand for bench_item.
// It shares pg's process-wide type parsers, which the generic app installs (numbers for numeric, ISO
// timestamps), so both answer byte-identical JSON and the parsing cost is the same on both sides.
import Fastify, { type FastifyInstance } from "fastify";
import pg from "pg";
import { createHmac, timingSafeEqual } from "node:crypto";

// Same columns, in the same order, as the generic API returns (every column but deleted_*).
const COLUMNS = `id, version, created_at, created_by, updated_at, updated_by, name, status, price, quantity, due_on, region`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The same signed token the generic app issues, checked with one HMAC and no database lookup. */
function validToken(authorization: string | undefined, secret: Buffer): boolean {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : "";
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(payload).digest("base64url"));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: number };
  return typeof claims.exp === "number" && claims.exp * 1000 > Date.now();
}

// The cursor format matches the generic one (base64url JSON of the sort signature and the last row's values).
const encodeCursor = (signature: string, values: unknown[]) => Buffer.from(JSON.stringify({ s: signature, v: values })).toString("base64url");
function decodeCursor(signature: string, cursor: string): unknown[] {
  const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { s?: string; v?: unknown[] };
  if (parsed.s !== signature || !Array.isArray(parsed.v) || parsed.v.length !== 2 || !UUID.test(String(parsed.v[1]))) throw new Error("bad cursor");
  return parsed.v;
}

type Row = Record<string, unknown>;
type Query = { cursor?: string; status?: string; minPrice?: string };

export interface HandServer {
  app: FastifyInstance;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHand(databaseUrl: string, tokenSecret: Buffer): Promise<HandServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const app = Fastify({ logger: false });
  app.addHook("onRequest", async (request, reply) => {
    if (!validToken(request.headers.authorization, tokenSecret)) return reply.status(401).send({ error: { code: "UNAUTHENTICATED" } });
  });
  const page = (rows: Row[], signature: string, keys: [string, string]) => {
    const more = rows.length > 50;
    const records = more ? rows.slice(0, 50) : rows;
    const last = records[records.length - 1];
    return { records, nextCursor: more ? encodeCursor(signature, [last[keys[0]], last[keys[1]]]) : null };
  };

  // Default list: newest first, keyset on (created_at, id).
  app.get("/hand/bench_item/records", async (request) => {
    const { cursor } = request.query as Query;
    const after = cursor ? decodeCursor("-created_at,-id", cursor) : undefined;
    const { rows } = await pool.query(
      `SELECT ${COLUMNS} FROM bench_item WHERE deleted_at IS NULL ${after ? "AND (created_at, id) < ($1, $2)" : ""}
        ORDER BY created_at DESC, id DESC LIMIT 51`,
      after ?? [],
    );
    return page(rows, "-created_at,-id", ["created_at", "id"]);
  });

  // Filtered list: status = $1 AND price >= $2, most expensive first, keyset on (price, id).
  app.get("/hand/bench_item/by-price", async (request) => {
    const { cursor, status, minPrice } = request.query as Query;
    const after = cursor ? decodeCursor("-price,-id", cursor) : undefined;
    const { rows } = await pool.query(
      `SELECT ${COLUMNS} FROM bench_item WHERE deleted_at IS NULL AND status = $1 AND price >= $2
          ${after ? "AND (price, id) < ($3, $4)" : ""}
        ORDER BY price DESC, id DESC LIMIT 51`,
      [status, Number(minPrice), ...(after ?? [])],
    );
    return page(rows, "-price,-id", ["price", "id"]);
  });

  app.get("/hand/bench_item/records/:id", async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) return reply.status(404).send({ error: { code: "NOT_FOUND" } });
    const { rows } = await pool.query(`SELECT ${COLUMNS} FROM bench_item WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return rows[0] ?? reply.status(404).send({ error: { code: "NOT_FOUND" } });
  });

  const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    app,
    baseUrl,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}
