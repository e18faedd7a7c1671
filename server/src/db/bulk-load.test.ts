// COPY text of bulk loads: escaping, nulls and the text form of each value kind, row by row, as a batch and as bytes.
import { describe, expect, it } from "vitest";
import { CopyTextBuffer, copyLineEncoder, copyText, toPostgresText, type BulkColumn } from "./bulk-load";

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

describe("CopyTextBuffer", () => {
  it("collects lines as UTF-8 bytes across chunks, and starts empty again after take", () => {
    // A small chunk size: lines with Chinese text (3 bytes a character) cross several chunks.
    const buffer = new CopyTextBuffer(64);
    const lines = Array.from({ length: 40 }, (_, index) => copyLineEncoder(COLUMNS)([`客户${index}\t名`, index, index % 2 === 0, null, [], [], { city: "上海" }]));
    for (const line of lines) buffer.append(line);
    expect(buffer.rows).toBe(40);
    const expected = `${lines.join("\n")}\n`;
    expect(buffer.bytes).toBe(Buffer.byteLength(expected));
    const chunks = buffer.take();
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(expected);
    expect([buffer.rows, buffer.bytes, buffer.take()]).toEqual([0, 0, []]);
    buffer.append("x");
    expect(Buffer.concat(buffer.take()).toString("utf8")).toBe("x\n");
  });

  it("takes a line longer than a chunk whole", () => {
    const buffer = new CopyTextBuffer(16);
    const long = "长".repeat(100);
    buffer.append("a");
    buffer.append(long);
    expect(Buffer.concat(buffer.take()).toString("utf8")).toBe(`a\n${long}\n`);
  });
});
