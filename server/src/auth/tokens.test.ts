// Signed tokens: verified once, then remembered until they expire; anything altered is refused.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueToken, TOKEN_LIFETIME_SECONDS, verifyToken } from "./tokens";

describe("verifyToken", () => {
  const secret = randomBytes(32);
  const issuedAt = Date.parse("2026-11-27T08:00:00Z");
  const token = issueToken("user-1", secret, issuedAt);

  it("answers the claims of a token signed with the secret, the same before and after it is remembered", () => {
    const first = verifyToken(token, secret, issuedAt + 1000);
    expect(first).toEqual({ sub: "user-1", exp: issuedAt / 1000 + TOKEN_LIFETIME_SECONDS });
    expect(verifyToken(token, secret, issuedAt + 2000)).toEqual(first);
  });

  it("refuses a remembered token once it has expired", () => {
    expect(verifyToken(token, secret, issuedAt + 1000)).not.toBeNull();
    expect(verifyToken(token, secret, issuedAt + TOKEN_LIFETIME_SECONDS * 1000 + 1)).toBeNull();
  });

  it("refuses a token signed with another secret even after it was accepted with its own", () => {
    expect(verifyToken(token, secret, issuedAt + 1000)).not.toBeNull();
    expect(verifyToken(token, randomBytes(32), issuedAt + 1000)).toBeNull();
  });

  it("refuses altered, truncated or padded tokens", () => {
    const [payload, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "admin", exp: issuedAt / 1000 + 60 })).toString("base64url");
    for (const bad of [`${forged}.${signature}`, `${payload}.${signature.slice(1)}`, `${payload}.${signature}.x`, payload, ""]) {
      expect(verifyToken(bad, secret, issuedAt + 1000)).toBeNull();
    }
  });
});
