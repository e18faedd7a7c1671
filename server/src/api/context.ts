// What every route needs: the database, the live model registry, and the signed-in user of the request.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Knex } from "knex";
import type { Registry } from "../registry/store";
import type { Actor } from "../auth/actor";
import type { DatabaseMode } from "../db/connect";
import { AppError, forbidden } from "../errors/errors";
import type { RecordsContext } from "../records/service";
import { unrestrictedAccess } from "../records/access-guard";
import { loadAccessContext, type AccessContext } from "../access/context";
import { TtlCache } from "../auth/ttl-cache";

export interface ServerContext {
  db: Knex;
  /**
   * Signed-in users and their access contexts, reused for a second: a change to a user, role or
   * department shows within that time on every server, like a metadata change.
   */
  caches: { users: TtlCache<Actor | null>; access: TtlCache<AccessContext> };
  databaseMode: DatabaseMode;
  registry: Registry;
  tokenSecret: Buffer;
  queueMode: "redis" | "in-process";
}

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError("UNAUTHENTICATED");
  return request.actor;
}

export function requireAdmin(request: FastifyRequest): Actor {
  const actor = requireActor(request);
  if (!actor.isAdmin) throw forbidden({ "zh-CN": "只有系统管理员可以修改元数据", en: "Only administrators may change metadata" });
  return actor;
}

/**
 * The records context of the request. Synchronous when the model and the user's access context are fresh in the
 * caches, as they are for nearly every request; a promise only when one of them has to be loaded.
 */
export function recordsContext(server: ServerContext, request: FastifyRequest): RecordsContext | Promise<RecordsContext> {
  const actor = requireActor(request);
  const model = server.registry.peek();
  if (model) {
    if (actor.isAdmin) return { db: server.db, model, actor, access: unrestrictedAccess(actor) };
    const cached = server.caches.access.peek(accessKey(actor, model));
    if (cached) return { db: server.db, model, actor, access: cached.value };
  }
  return loadRecordsContext(server, actor);
}

const accessKey = (actor: Actor, model: { version: number }) => `${actor.userId}@${model.version}`;

async function loadRecordsContext(server: ServerContext, actor: Actor): Promise<RecordsContext> {
  const model = await server.registry.current();
  const access = actor.isAdmin
    ? unrestrictedAccess(actor)
    : await server.caches.access.get(accessKey(actor, model), () => loadAccessContext(server.db, model, actor));
  return { db: server.db, model, actor, access };
}

export const noContent = (reply: FastifyReply) => reply.status(204).send();

export const ACCESS_CACHE_MS = 1000;

export function createCaches(ttlMs = ACCESS_CACHE_MS): ServerContext["caches"] {
  return { users: new TtlCache(ttlMs), access: new TtlCache(ttlMs) };
}
