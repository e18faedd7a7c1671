// Auto numbers for generated records, as the server would have given them on the day each was created
// (server/src/records/computed-values.ts formatPeriod), and the sys.sequences rows that continue them.
import type { Knex } from "knex";
import type { FieldDefinition } from "@crm/metadata";
import type { Model } from "../../../server/src/registry/model";
import { formatPeriod } from "../../../server/src/records/computed-values";

interface Counter {
  object: string;
  field: string;
  period: string;
  value: number;
}

export class AutoNumbers {
  private readonly counters = new Map<string, Counter>();
  private readonly fields = new Map<string, FieldDefinition[]>();

  private constructor(private readonly model: Model, existing: Counter[]) {
    for (const counter of existing) this.counters.set(`${counter.object}|${counter.field}|${counter.period}`, { ...counter });
  }

  /** Reads the current sequences; the caller's transaction should hold the table lock (see lockSequences). */
  static async load(trx: Knex.Transaction, model: Model): Promise<AutoNumbers> {
    const rows: Counter[] = await trx("sequences").withSchema("sys").select("object", "field", "period", "value");
    return new AutoNumbers(model, rows.map((row) => ({ ...row, value: Number(row.value) })));
  }

  /** The numbers of every auto-number field of a record created at `createdAt`. */
  assign(objectName: string, createdAt: number): Record<string, string> {
    let fields = this.fields.get(objectName);
    if (!fields) this.fields.set(objectName, (fields = this.model.objects.get(objectName)?.definition.fields.filter((field) => field.type === "auto_number") ?? []));
    const numbers: Record<string, string> = {};
    for (const field of fields) {
      const period = formatPeriod(field.format ?? "{SEQ:6}", new Date(createdAt));
      const key = `${objectName}|${field.name}|${period.prefix}`;
      let counter = this.counters.get(key);
      if (!counter) this.counters.set(key, (counter = { object: objectName, field: field.name, period: period.prefix, value: 0 }));
      counter.value += 1;
      numbers[field.name] = period.render(counter.value);
    }
    return numbers;
  }

  /** Writes the advanced sequences: the next number the server hands out follows the generated ones. */
  async save(trx: Knex.Transaction): Promise<void> {
    const rows = [...this.counters.values()];
    for (let start = 0; start < rows.length; start += 500) {
      await trx("sequences")
        .withSchema("sys")
        .insert(rows.slice(start, start + 500))
        .onConflict(["object", "field", "period"])
        .merge({ value: trx.raw("GREATEST(sys.sequences.value, EXCLUDED.value)") });
    }
  }
}

/** Keeps API writes from taking numbers while the generator holds them in memory. */
export async function lockSequences(trx: Knex.Transaction): Promise<void> {
  await trx.raw("LOCK TABLE sys.sequences IN SHARE ROW EXCLUSIVE MODE");
}
