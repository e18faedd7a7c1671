// Sign-in, the signed-in user, sign-out; and the hook that authenticates every other /api route.
import type { FastifyInstance } from "fastify";
import { issueToken, TOKEN_LIFETIME_SECONDS, verifyToken } from "../auth/tokens";
import { findActiveUser, signIn } from "../auth/users";
import { requireActor, type ServerContext } from "./context";
import type { Actor } from "../auth/actor";
import { AppError } from "../errors/errors";

export const TOKEN_COOKIE = "crm_token";
const PUBLIC_ROUTES = new Set(["/api/health", "/api/auth/login"]);

const loginBody = {
  type: "object",
  required: ["username", "password"],
  properties: { username: { type: "string", minLength: 1, maxLength: 100 }, password: { type: "string", minLength: 1, maxLength: 200 } },
  additionalProperties: false,
} as const;

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  return match?.[1];
}

export function registerAuth(app: FastifyInstance, server: ServerContext): void {
  app.decorateRequest("actor", null);
  // A callback hook, answered at once when the user is in the cache (nearly every request); the cookie header is
  // parsed only for requests without a bearer token (the browser's), not by a hook of its own on every request.
  app.addHook("onRequest", (request, _reply, done) => {
    const path = request.url.split("?")[0];
    if (!path.startsWith("/api/") || PUBLIC_ROUTES.has(path)) return done();
    const cookieHeader = request.headers.cookie;
    const token = bearerToken(request.headers.authorization) ?? (cookieHeader ? app.parseCookie(cookieHeader)[TOKEN_COOKIE] : undefined);
    const claims = token ? verifyToken(token, server.tokenSecret) : null;
    const signedIn = (actor: Actor | null) => {
      request.actor = actor;
      done(actor ? undefined : new AppError("UNAUTHENTICATED"));
    };
    if (!claims) return signedIn(null);
    const cached = server.caches.users.peek(claims.sub);
    if (cached) return signedIn(cached.value);
    server.caches.users.get(claims.sub, () => findActiveUser(server.db, claims.sub)).then(signedIn, done);
  });

  app.post("/api/auth/login", { schema: { body: loginBody } }, async (request, reply) => {
    const { username, password } = request.body as { username: string; password: string };
    const actor = await signIn(server.db, { username, password, clientAddress: request.ip });
    const token = issueToken(actor.userId, server.tokenSecret);
    reply.setCookie(TOKEN_COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/", maxAge: TOKEN_LIFETIME_SECONDS });
    return { token, expiresIn: TOKEN_LIFETIME_SECONDS, user: publicUser(actor) };
  });

  app.post("/api/auth/logout", async (_request, reply) => {
    reply.clearCookie(TOKEN_COOKIE, { path: "/" });
    return { ok: true };
  });

  app.get("/api/auth/me", async (request) => {
    const actor = requireActor(request);
    const model = await server.registry.current();
    // Menus (object modules) the user's roles open; administrators see every module.
    const menus = actor.isAdmin
      ? [...new Set([...model.objects.values()].map((object) => object.definition.module).filter(Boolean))]
      : [...new Set(actor.roles.flatMap((role) => model.roles.get(role)?.menus ?? []))];
    return { ...publicUser(actor), department: await departmentOf(server, actor.employeeId), menus: menus.sort() };
  });
}

/** The employee's department (id, code, name), when the account is linked to an employee. */
async function departmentOf(server: ServerContext, employeeId: string | null) {
  if (!employeeId) return null;
  const model = await server.registry.current();
  if (!model.objects.get("employee")?.columnByName.has("department_id") || !model.objects.has("department")) return null;
  const row = await server.db("employee as e")
    .join("department as d", "d.id", "e.department_id")
    .where("e.id", employeeId)
    .first("d.id", "d.code", "d.name");
  return row ?? null;
}

function publicUser(actor: ReturnType<typeof requireActor>) {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    employeeId: actor.employeeId,
    roles: actor.roles,
    isAdmin: actor.isAdmin,
    locale: actor.locale,
  };
}
