// What every route needs: the database, the live model registry, and the signed-in user of the request.
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Knex } from "knex";
import type { Registry } from "../registry/store";
import type { Actor } from "../auth/actor";
import type { DatabaseMode } from "../db/connect";
import { AppError, forbidden } from "../errors/errors";
import type { RecordsContext } from "../records/service";
import { unrestrictedAccess } from "../records/access-guard";
import { loadAccessContext } from "../access/context";

export interface ServerContext {
  db: Knex;
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

export async function recordsContext(server: ServerContext, request: FastifyRequest): Promise<RecordsContext> {
  const actor = requireActor(request);
  const model = await server.registry.current();
  const access = actor.isAdmin ? unrestrictedAccess(actor) : await loadAccessContext(server.db, model, actor);
  return { db: server.db, model, actor, access };
}

export const noContent = (reply: FastifyReply) => reply.status(204).send();
