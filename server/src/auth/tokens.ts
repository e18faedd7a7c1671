// Signed bearer tokens (HMAC-SHA256): servers stay stateless, any server with the shared secret can verify.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Knex } from "knex";

export interface TokenClaims {
  /** user id */
  sub: string;
  /** expiry, seconds since the epoch */
  exp: number;
}

export const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

const sign = (payload: string, secret: Buffer) => createHmac("sha256", secret).update(payload).digest("base64url");

export function issueToken(userId: string, secret: Buffer, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ sub: userId, exp: Math.floor(now / 1000) + TOKEN_LIFETIME_SECONDS })).toString("base64url");
  return `${payload}.${sign(payload, secret)}`;
}

/** Tokens whose signature was checked, per secret: a signed-in user's next requests skip the HMAC. */
const verifiedTokens = new WeakMap<Buffer, Map<string, TokenClaims>>();
const MAX_VERIFIED_TOKENS = 10_000;

export function verifyToken(token: string, secret: Buffer, now = Date.now()): TokenClaims | null {
  let verified = verifiedTokens.get(secret);
  const known = verified?.get(token);
  if (known) return known.exp * 1000 > now ? known : null;
  const claims = checkToken(token, secret, now);
  if (claims) {
    if (!verified) verifiedTokens.set(secret, (verified = new Map()));
    if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
    verified.set(token, claims);
  }
  return claims;
}

function checkToken(token: string, secret: Buffer, now: number): TokenClaims | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(payload, secret));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number" || claims.exp * 1000 <= now) return null;
    return claims;
  } catch {
    return null;
  }
}

/** The signing secret lives in the database so that every server behind a load balancer shares it. */
export async function loadTokenSecret(db: Knex): Promise<Buffer> {
  const fresh = randomBytes(32).toString("base64");
  await db.raw(`INSERT INTO sys.settings (key, value) VALUES ('token_secret', ?::jsonb) ON CONFLICT (key) DO NOTHING`, [JSON.stringify(fresh)]);
  const row = await db("settings").withSchema("sys").where({ key: "token_secret" }).first("value");
  return Buffer.from(row.value as string, "base64");
}
