// COPY text of bulk loads: escaping, nulls and the text form of each value kind, row by row and as a batch.
import { describe, expect, it } from "vitest";
import { copyLineEncoder, copyText, toPostgresText, type BulkColumn } from "./bulk-load";

const column = (name: string, kind: BulkColumn["kind"]): BulkColumn => ({ name, kind, sqlType: "text" });

const COLUMNS = [
  column("name", "text"),
  column("amount", "number"),
  column("active", "boolean"),
  column("at", "datetime"),
  column("ids", "uuid_array"),
  column("tags", "text_array"),
  column("region", "json"),
];

describe("copyLineEncoder / copyText", () => {
  it.each([
    ["plain values", ["华东", 12.5, true, "2026-03-01T02:00:00.000Z", ["a1", "b2"], ["x"], { city: "上海" }], '华东\t12.5\tt\t2026-03-01T02:00:00.000Z\t{a1,b2}\t{"x"}\t{"city":"上海"}'],
    ["nulls and empties", [null, undefined, false, null, [], [], null], "\\N\t\\N\tf\t\\N\t{}\t{}\t\\N"],
    ["tabs, line breaks and backslashes escaped", ["a\tb\nc\r\\d", 0, true, new Date(Date.UTC(2026, 0, 2)), [], ['q"\\'], { note: "1\n2" }], 'a\\tb\\nc\\r\\\\d\t0\tt\t2026-01-02T00:00:00.000Z\t{}\t{"q\\\\"\\\\\\\\"}\t{"note":"1\\\\n2"}'],
  ])("encodes %s", (_case, row, expected) => {
    expect(copyLineEncoder(COLUMNS)(row)).toBe(expected);
  });

  it("joins rows into lines ending with a line break, each as toPostgresText would write it (uuid arrays unquoted)", () => {
    const rows = [["甲", 1, true, null, ["u1"], ["t"], [1]], ["乙", 2.25, false, null, [], [], null]];
    const text = copyText(COLUMNS, rows);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.split("\n").slice(0, -1);
    expect(lines).toHaveLength(2);
    lines.forEach((line, index) => {
      const expected = COLUMNS.map((c, position) => toPostgresText(rows[index][position], c.kind) ?? "\\N");
      expect(line.split("\t")).toEqual(expected.map((text, position) => (COLUMNS[position].kind === "uuid_array" ? text.replaceAll('"', "") : text)));
    });
  });
});
