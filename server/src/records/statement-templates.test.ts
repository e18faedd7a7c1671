// Statement templates: marks become slots, and a filled template is the statement compiled with those values.
import { describe, expect, it } from "vitest";
import knex from "knex";
import { bindingsFor, compileWithSlots, slotMarks, TemplateCache } from "./statement-templates";

const db = knex({ client: "pg" });

const page = (after: unknown[]) =>
  db("deal")
    .select("id", "amount")
    .whereNull("deleted_at")
    .where("owner_id", "e-1")
    .whereRaw(`("amount", "id") < (?, ?)`, after as never[])
    .orderBy([{ column: "amount", order: "desc" }, { column: "id", order: "desc" }])
    .limit(51);

describe("statement templates", () => {
  it("finds each mark among the bindings and fills in a request's values", () => {
    const marks = slotMarks(2);
    const template = compileWithSlots(page(marks), marks)!;
    expect(template.slots).toEqual([
      { binding: 1, value: 0 },
      { binding: 2, value: 1 },
    ]);
    const direct = page([120.5, "0c6f3b1e-6a43-4a77-9d1e-3f6a1b2c3d4e"]).toSQL().toNative();
    expect(template.sql).toBe(direct.sql);
    expect(bindingsFor(template, [120.5, "0c6f3b1e-6a43-4a77-9d1e-3f6a1b2c3d4e"])).toEqual(direct.bindings);
    // The template itself is not changed by filling it.
    expect(template.bindings[1]).toBe(marks[0]);
  });

  it("gives the same text for any values and different marks to every slot", () => {
    const marks = slotMarks(3);
    expect(new Set(marks).size).toBe(3);
    expect(marks.every((mark) => mark.includes("\u0000"))).toBe(true);
  });

  it("refuses a statement whose mark was written into the text or folded into another value", () => {
    const [mark] = slotMarks(1);
    expect(compileWithSlots(db("deal").select("id").whereRaw(`name = '${mark}'`), [mark])).toBeUndefined();
    expect(compileWithSlots(db("deal").select("id").where("name", "like", `%${mark}%`), [mark])).toBeUndefined();
    expect(compileWithSlots(db("deal").select("id").whereRaw("tags && ?", [[mark, "x"]]), [mark])).toBeUndefined();
  });

  it("keeps a statement without slots as compiled", () => {
    const template = compileWithSlots(db("deal").select("id").where("status", "open").limit(51), [])!;
    expect(template.slots).toEqual([]);
    expect(bindingsFor(template, [])).toEqual(["open", 51]);
  });

  it("caches per owner and key, builds once, and keeps at most the given number per owner", () => {
    const cache = new TemplateCache<number>(2);
    const owner = {};
    let builds = 0;
    const build = () => ++builds;
    expect(cache.get(owner, "a", build)).toBe(1);
    expect(cache.get(owner, "a", build)).toBe(1);
    expect(cache.get({}, "a", build)).toBe(2);
    cache.get(owner, "b", build);
    cache.get(owner, "c", build);
    expect(cache.get(owner, "a", build)).toBe(5);
  });
});
