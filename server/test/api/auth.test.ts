// Sign-in, tokens and throttling over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server";
import { MAX_FAILURES } from "../../src/auth/users";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe("authentication", () => {
  it("answers health without a token, everything else needs one", async () => {
    const anonymous = server.client();
    const health = await anonymous.get("/api/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", database: server.database.mode, queue: expect.any(String) });
    for (const url of ["/api/auth/me", "/api/metadata/objects", "/api/objects/customer/records", "/api/openapi.json", "/api/packs/export"]) {
      const response = await anonymous.get(url);
      expect(response.status, url).toBe(401);
      expect(response.body.error.code).toBe("UNAUTHENTICATED");
    }
    expect((await server.client("not.a-token").get("/api/auth/me")).status).toBe(401);
  });

  it("signs in, returns the user, and stores only a password hash", async () => {
    const login = await server.client().post("/api/auth/login", { username: "admin", password: "demo123" });
    expect(login.status).toBe(200);
    expect(login.body.token).toEqual(expect.any(String));
    expect(String(login.headers["set-cookie"])).toMatch(/crm_token=.*HttpOnly/i);
    const me = await server.client(login.body.token).get("/api/auth/me");
    expect(me.body).toMatchObject({ username: "admin", isAdmin: true, roles: [], employeeId: expect.any(String), department: { code: "01", name: "上海总部" } });
    const salesperson = await server.login("wanglei");
    expect((await salesperson.get("/api/auth/me")).body).toMatchObject({ username: "wanglei", isAdmin: false, roles: ["sales_rep"], department: { code: "0101" } });
    const stored = await server.database.db("users").withSchema("sys").where({ username: "admin" }).first("password_hash");
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain("demo123");
  });

  it("accepts the token from the cookie too", async () => {
    const login = await server.client().post("/api/auth/login", { username: "admin", password: "demo123" });
    const me = await server.client().raw({ method: "GET", url: "/api/auth/me", headers: { cookie: `crm_token=${login.body.token}` } });
    expect(me.status).toBe(200);
  });

  it("rejects a tampered token", async () => {
    const login = await server.client().post("/api/auth/login", { username: "admin", password: "demo123" });
    const [payload, signature] = login.body.token.split(".");
    const forged = Buffer.from(JSON.stringify({ sub: "00000000-0000-4000-8000-000000000000", exp: 9999999999 })).toString("base64url");
    expect((await server.client(`${forged}.${signature}`).get("/api/auth/me")).status).toBe(401);
    expect((await server.client(`${payload}.${signature}x`).get("/api/auth/me")).status).toBe(401);
  });

  it("answers a bad login body with the error shape", async () => {
    const response = await server.client().post("/api/auth/login", { username: "admin" });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.details[0].path).toBe("/password");
  });

  it("throttles repeated failures the same way whether or not the user exists", async () => {
    const attempt = (username: string, password: string) => server.client().post("/api/auth/login", { username, password });
    const existing: number[] = [];
    const unknown: number[] = [];
    for (let index = 0; index < MAX_FAILURES; index += 1) {
      existing.push((await attempt("wanglei", "wrong")).status);
      unknown.push((await attempt("nobody_here", "wrong")).status);
    }
    expect(existing).toEqual(Array(MAX_FAILURES).fill(401));
    expect(unknown).toEqual(existing);
    const wrongExisting = await attempt("wanglei", "wrong");
    const wrongUnknown = await attempt("nobody_here", "wrong");
    expect(wrongExisting.status).toBe(429);
    expect(wrongUnknown.status).toBe(429);
    expect(wrongExisting.body).toEqual(wrongUnknown.body);
    // Even the right password is refused while throttled: guessing cannot go on in the background.
    expect((await attempt("wanglei", "demo123")).status).toBe(429);
    const first401 = await attempt("someone_else", "x");
    expect(first401.body.error.code).toBe("INVALID_CREDENTIALS");
  });
});
