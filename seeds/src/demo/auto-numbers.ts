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

type Period = ReturnType<typeof formatPeriod>;

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The local calendar day (of the process's time zone, as formatPeriod reads it) of a moment, without a Date per
 * call: time-zone offsets are whole quarter hours and change rarely, so one lookup per quarter hour is exact.
 */
class LocalDays {
  private readonly offsets = new Map<number, number>();

  dayOf(ms: number): number {
    const quarter = Math.floor(ms / (15 * MINUTE));
    let offset = this.offsets.get(quarter);
    if (offset === undefined) this.offsets.set(quarter, (offset = new Date(ms).getTimezoneOffset() * MINUTE));
    return Math.floor((ms - offset) / DAY);
  }
}

export class AutoNumbers {
  private readonly counters = new Map<string, Counter>();
  private readonly fields = new Map<string, { field: FieldDefinition; counterKey: string; periods: Map<number, { period: Period; counter: Counter | null }> }[]>();
  private readonly localDays = new LocalDays();

  private constructor(private readonly model: Model, existing: Counter[]) {
    for (const counter of existing) this.counters.set(`${counter.object}|${counter.field}|${counter.period}`, { ...counter });
  }

  /** Reads the current sequences; the caller's transaction should hold the table lock (see lockSequences). */
  static async load(trx: Knex.Transaction, model: Model): Promise<AutoNumbers> {
    const rows: Counter[] = await trx("sequences").withSchema("sys").select("object", "field", "period", "value");
    return new AutoNumbers(model, rows.map((row) => ({ ...row, value: Number(row.value) })));
  }

  /** Sets the numbers of every auto-number field of `record`, created at `createdAt`, and returns it. */
  assign<T extends Record<string, unknown>>(objectName: string, createdAt: number, record: T): T {
    let fields = this.fields.get(objectName);
    if (!fields) {
      const definitions = this.model.objects.get(objectName)?.definition.fields.filter((field) => field.type === "auto_number") ?? [];
      this.fields.set(objectName, (fields = definitions.map((field) => ({ field, counterKey: `${objectName}|${field.name}|`, periods: new Map() }))));
    }
    // A period (and its counter) is looked up once per local day and field, not formatted per record.
    const day = fields.length ? this.localDays.dayOf(createdAt) : 0;
    for (const entry of fields) {
      let cached = entry.periods.get(day);
      if (!cached) entry.periods.set(day, (cached = { period: formatPeriod(entry.field.format ?? "{SEQ:6}", new Date(createdAt)), counter: null }));
      let counter = cached.counter;
      if (!counter) {
        const key = entry.counterKey + cached.period.prefix;
        counter = this.counters.get(key) ?? null;
        if (!counter) this.counters.set(key, (counter = { object: objectName, field: entry.field.name, period: cached.period.prefix, value: 0 }));
        cached.counter = counter;
      }
      counter.value += 1;
      (record as Record<string, unknown>)[entry.field.name] = cached.period.render(counter.value);
    }
    return record;
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
