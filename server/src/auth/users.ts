// Login accounts: lookup, creation, sign-in with throttling that never reveals whether a username exists.
import type { Knex } from "knex";
import { AppError } from "../errors/errors";
import { DECOY_HASH, hashPassword, verifyPassword } from "./passwords";
import type { Actor } from "./actor";

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  employee_id: string | null;
  roles: string[];
  is_admin: boolean;
  active: boolean;
  locale: string;
}

export function actorFromUser(row: UserRow): Actor {
  return {
    userId: row.id,
    username: row.username,
    displayName: row.display_name,
    employeeId: row.employee_id,
    roles: row.roles ?? [],
    isAdmin: row.is_admin,
    locale: row.locale === "en" ? "en" : "zh-CN",
  };
}

export async function findActiveUser(db: Knex, id: string): Promise<Actor | null> {
  const row: UserRow | undefined = await db("users").withSchema("sys").where({ id, active: true }).first();
  return row ? actorFromUser(row) : null;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  isAdmin?: boolean;
  roles?: string[];
  employeeId?: string | null;
}

/** Creates the account, or leaves an existing one untouched (start-up seeding runs on every boot). */
export async function ensureUser(db: Knex, user: NewUser): Promise<void> {
  const existing = await db("users").withSchema("sys").where({ username: user.username }).first("id");
  if (existing) return;
  await db("users")
    .withSchema("sys")
    .insert({
      username: user.username,
      display_name: user.displayName,
      password_hash: await hashPassword(user.password),
      is_admin: user.isAdmin ?? false,
      roles: user.roles ?? [],
      employee_id: user.employeeId ?? null,
    })
    .onConflict("username")
    .ignore();
}

/**
 * Failures count per username and per client address, whether or not the username exists,
 * so the answer (and its timing) is the same for both.
 */
export async function signIn(db: Knex, input: { username: string; password: string; clientAddress: string }): Promise<Actor> {
  const keys = [`user:${input.username.toLowerCase()}`, `ip:${input.clientAddress}`];
  const since = new Date(Date.now() - FAILURE_WINDOW_SECONDS * 1000).toISOString();
  const counts: { throttle_key: string; failures: number | string }[] = await db("login_failures")
    .withSchema("sys")
    .whereIn("throttle_key", keys)
    .where("failed_at", ">", since)
    .groupBy("throttle_key")
    .select("throttle_key")
    .count({ failures: "*" });
  const ipLimit = MAX_FAILURES * 4;
  const blocked = counts.some((row) => Number(row.failures) >= (String(row.throttle_key).startsWith("ip:") ? ipLimit : MAX_FAILURES));
  const row: UserRow | undefined = await db("users").withSchema("sys").whereRaw("lower(username) = ?", [input.username.toLowerCase()]).first();
  const passwordMatches = await verifyPassword(input.password, row?.password_hash ?? DECOY_HASH);
  if (blocked) {
    throw new AppError("TOO_MANY_ATTEMPTS", { headers: { "retry-after": String(FAILURE_WINDOW_SECONDS) } });
  }
  if (!row || !row.active || !passwordMatches) {
    await db("login_failures").withSchema("sys").insert(keys.map((throttle_key) => ({ throttle_key })));
    throw new AppError("INVALID_CREDENTIALS");
  }
  await db("login_failures").withSchema("sys").where({ throttle_key: keys[0] }).delete();
  return actorFromUser(row);
}

export async function findActiveUserByUsername(db: Knex, username: string): Promise<Actor | null> {
  const row: UserRow | undefined = await db("users").withSchema("sys").whereRaw("lower(username) = ?", [username.toLowerCase()]).where({ active: true }).first();
  return row ? actorFromUser(row) : null;
}
