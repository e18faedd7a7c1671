// Optimistic concurrency: two writers with the same version, 1,000 rounds; exactly one wins each time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "../support/server";

let server: TestServer;
let first: TestClient;
let second: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  first = await server.login("admin");
  second = await server.login("admin");
  const defined = await first.put("/api/metadata/objects/tally", {
    name: "tally",
    label: { "zh-CN": "计数", en: "Tally" },
    fields: [
      { name: "title", type: "text", label: { "zh-CN": "名称", en: "Title" } },
      { name: "writer", type: "text", label: { "zh-CN": "写入者", en: "Writer" } },
      { name: "round", type: "integer", label: { "zh-CN": "轮次", en: "Round" } },
    ],
  });
  expect(defined.status).toBe(201);
});

afterAll(async () => {
  await server?.close();
});

describe("two writers, same version", () => {
  it("lets exactly one win each of 1,000 rounds and loses no update", async () => {
    const created = await first.post("/api/objects/tally/records", { title: "共享记录", round: 0 });
    const id = created.body.id;
    let version = created.body.version as number;
    const winners: string[] = [];
    for (let round = 1; round <= 1000; round += 1) {
      const [a, b] = await Promise.all([
        first.patch(`/api/objects/tally/records/${id}`, { version, writer: "a", round }),
        second.patch(`/api/objects/tally/records/${id}`, { version, writer: "b", round }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses, `round ${round}: ${JSON.stringify([a.body, b.body])}`).toEqual([200, 409]);
      const winner = a.status === 200 ? a : b;
      const loser = a.status === 200 ? b : a;
      expect(loser.body.error.code).toBe("VERSION_CONFLICT");
      expect(winner.body).toMatchObject({ round, version: version + 1 });
      winners.push(winner.body.writer);
      version = winner.body.version;
    }
    const final = await first.get(`/api/objects/tally/records/${id}`);
    expect(final.body).toMatchObject({ round: 1000, version: 1001, writer: winners[winners.length - 1] });
    const history = await first.get(`/api/objects/tally/records/${id}/history`);
    const updates = history.body.history.filter((entry: { action: string }) => entry.action === "update");
    expect(updates).toHaveLength(1000);
    // Every winning write is in the trail, in order: nothing was overwritten unseen.
    expect(updates.map((entry: { changes: { field: string; after: unknown }[] }) => entry.changes.find((change) => change.field === "round")?.after)).toEqual(
      Array.from({ length: 1000 }, (_, index) => index + 1),
    );
  }, 240_000);
});
