import { describe, expect, it } from "vitest";
import type { RecordValues } from "../api/types";
import { flushNameRequests, rememberNames, requestNames } from "./record-names";

type ListCall = { object: string; ids: string[] };

function fakeApi(records: Record<string, RecordValues[]>) {
  const calls: ListCall[] = [];
  const list = async (object: string, params: { filter?: unknown }) => {
    const ids = (params.filter as { in: [unknown, string[]] }).in[1];
    calls.push({ object, ids });
    if (object === "secret") throw new Error("403");
    return { records: (records[object] ?? []).filter((record) => ids.includes(String(record.id))), nextCursor: null };
  };
  return { calls, list: list as never };
}

describe("record names", () => {
  it("asks once per object for the ids of every cell, skipping known and already asked ids", async () => {
    const api = fakeApi({ employee: [{ id: "e1", name: "王磊" }, { id: "e2", name: "李娜" }], department: [{ id: "d1", name: "天津分公司" }] });
    rememberNames("employee", [["e0", "张伟"]]);
    // Fifty cells of a list page, each asking for the names it shows.
    for (let cell = 0; cell < 50; cell += 1) {
      requestNames("employee", "name", ["e0", cell % 2 ? "e1" : "e2"]);
      requestNames("department", "name", ["d1"]);
    }
    await flushNameRequests(api.list);
    expect(api.calls).toEqual([
      { object: "employee", ids: ["e2", "e1"] },
      { object: "department", ids: ["d1"] },
    ]);
    // A later render asking again costs nothing.
    requestNames("employee", "name", ["e1", "e2"]);
    await flushNameRequests(api.list);
    expect(api.calls).toHaveLength(2);
  });

  it("leaves ids of an object the user may not view nameless, without asking again", async () => {
    const api = fakeApi({});
    requestNames("secret", "name", ["s1"]);
    await flushNameRequests(api.list);
    requestNames("secret", "name", ["s1"]);
    await flushNameRequests(api.list);
    expect(api.calls).toEqual([{ object: "secret", ids: ["s1"] }]);
  });
});
