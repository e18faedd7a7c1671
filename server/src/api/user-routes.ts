// Administration of login accounts: roles and per-person grants (部门范围, 客户权限, …); grants re-apply at once.
import type { FastifyInstance } from "fastify";
import { hashPassword } from "../auth/passwords";
import { UUID_PATTERN } from "../registry/columns";
import { applyGrantRules } from "../access/auto-grants";
import { notFound, validationFailed } from "../errors/errors";
import { requireAdmin, type ServerContext } from "./context";

const userColumns = ["id", "username", "display_name", "employee_id", "roles", "grants", "is_admin", "active", "locale"];

const uuid = { type: "string", pattern: UUID_PATTERN };
const grants = {
  type: "object",
  properties: {
    departmentRange: { type: "array", maxItems: 500, items: uuid },
    customers: {},
    followsNewProductCategory: { type: "string", maxLength: 100 },
    oversees: { type: "array", maxItems: 500, items: uuid },
  },
  additionalProperties: false,
};
const userBody = (required: string[]) => ({
  type: "object",
  required,
  properties: {
    username: { type: "string", pattern: "^[a-z][a-z0-9_.-]{1,62}$" },
    displayName: { type: "string", minLength: 1, maxLength: 100 },
    password: { type: "string", minLength: 6, maxLength: 200 },
    employeeId: { anyOf: [uuid, { type: "null" }] },
    roles: { type: "array", maxItems: 50, uniqueItems: true, items: { type: "string", maxLength: 63 } },
    grants,
    isAdmin: { type: "boolean" },
    active: { type: "boolean" },
    locale: { enum: ["zh-CN", "en"] },
  },
  additionalProperties: false,
});

interface UserBody {
  username?: string;
  displayName?: string;
  password?: string;
  employeeId?: string | null;
  roles?: string[];
  grants?: Record<string, unknown>;
  isAdmin?: boolean;
  active?: boolean;
  locale?: string;
}

export function registerUserRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/admin/users", async (request) => {
    requireAdmin(request);
    return { users: await server.db("users").withSchema("sys").orderBy("username").select(userColumns) };
  });

  app.post("/api/admin/users", { schema: { body: userBody(["username", "displayName", "password"]) } }, async (request, reply) => {
    requireAdmin(request);
    const body = request.body as UserBody;
    await assertRolesExist(server, body.roles);
    // Read before the transaction: the embedded database has one connection, which the transaction holds.
    const model = await server.registry.current();
    const [user] = await server.db.transaction(async (trx) => {
      const rows = await trx("users")
        .withSchema("sys")
        .insert({
          username: body.username,
          display_name: body.displayName,
          password_hash: await hashPassword(body.password!),
          employee_id: body.employeeId ?? null,
          roles: body.roles ?? [],
          grants: JSON.stringify(body.grants ?? {}),
          is_admin: body.isAdmin ?? false,
          locale: body.locale ?? "zh-CN",
        })
        .onConflict("username")
        .ignore()
        .returning(userColumns);
      if (rows.length === 0) {
        throw validationFailed([{ path: "/username", message: { "zh-CN": "用户名已存在", en: "The username is taken" } }]);
      }
      await applyGrantRules(trx, model);
      return rows;
    });
    reply.status(201);
    return user;
  });

  app.patch("/api/admin/users/:username", { schema: { body: userBody([]) } }, async (request) => {
    requireAdmin(request);
    const body = request.body as UserBody;
    const username = (request.params as { username: string }).username;
    await assertRolesExist(server, body.roles);
    const changes: Record<string, unknown> = {
      ...(body.displayName !== undefined ? { display_name: body.displayName } : {}),
      ...(body.password !== undefined ? { password_hash: await hashPassword(body.password) } : {}),
      ...(body.employeeId !== undefined ? { employee_id: body.employeeId } : {}),
      ...(body.roles !== undefined ? { roles: body.roles } : {}),
      ...(body.grants !== undefined ? { grants: JSON.stringify(body.grants) } : {}),
      ...(body.isAdmin !== undefined ? { is_admin: body.isAdmin } : {}),
      ...(body.active !== undefined ? { active: body.active } : {}),
      ...(body.locale !== undefined ? { locale: body.locale } : {}),
      updated_at: server.db.fn.now(),
    };
    const model = await server.registry.current();
    const user = await server.db.transaction(async (trx) => {
      const [row] = await trx("users").withSchema("sys").where({ username }).update(changes).returning(userColumns);
      if (!row) throw notFound({ "zh-CN": `用户 "${username}" 不存在`, en: `User "${username}" does not exist` });
      // A person's roles and grants are inputs of the automatic grant rules.
      await applyGrantRules(trx, model);
      return row;
    });
    server.caches.users.clear();
    server.caches.access.clear();
    return user;
  });
}

async function assertRolesExist(server: ServerContext, roles: string[] | undefined): Promise<void> {
  if (!roles) return;
  const model = await server.registry.current();
  const unknown = roles.map((role, index) => [role, index] as const).filter(([role]) => !model.roles.has(role));
  if (unknown.length) {
    throw validationFailed(
      unknown.map(([role, index]) => ({ path: `/roles/${index}`, message: { "zh-CN": `角色 "${role}" 不存在`, en: `The role "${role}" does not exist` } })),
    );
  }
}
