// Generated records → table rows: the server's own defaults and formulas applied (and, when asked, its body
// validation and rules), every column of the compiled model in order, written in batches through a RowSink.
import type { CompiledObject, Model } from "../../../server/src/registry/model";
import { CUSTOMER_SCOPE_COLUMNS } from "../../../server/src/registry/columns";
import { applyDefaults, assertValidationRules, computeFormulas, type RecordValues } from "../../../server/src/records/computed-values";
import { assertValidBody } from "../../../server/src/records/body-validator";
import { isComputedField } from "../../../server/src/records/record-schema";
import { copyLineEncoder, type BulkColumn, type RowSink } from "../../../server/src/db/bulk-load";

/** Columns the loader never writes: a generated record is not deleted. */
const UNWRITTEN = new Set(["deleted_at", "deleted_by"]);
/** Written only where the object carries them (records of a customer under data permissions). */
const OPTIONAL_KEYS = new Set(CUSTOMER_SCOPE_COLUMNS.map((column) => column.name));

/** The body the API would have accepted for this record: its writable fields only. */
function writableBody(object: CompiledObject, values: RecordValues): RecordValues {
  const body: RecordValues = {};
  const implicit = [...(object.definition.ownership ? ["owner_id", "department_id", "related_employee_ids"] : []), ...(object.implicitCustomer ? ["customer_id"] : [])];
  for (const name of implicit) if (values[name] !== undefined) body[name] = values[name];
  for (const field of object.definition.fields) {
    // Server-computed fields (auto numbers, formulas, roll-ups such as totals) are not part of a body.
    if (field.type === "master_detail" || isComputedField(object, field.name) || values[field.name] === undefined) continue;
    body[field.name] = values[field.name];
  }
  return body;
}

/** A table's waiting rows: value arrays, or COPY lines when the sink takes them (see RowSink.writeLines). */
class TableBuffer {
  readonly columns: BulkColumn[];
  private readonly names: string[];
  private readonly notNull: string[];
  private readonly encode: ((row: readonly unknown[]) => string) | null;
  rows: unknown[] = [];
  written = 0;
  private checkedKeys = false;

  constructor(readonly object: CompiledObject, private readonly validate: boolean, lines: boolean) {
    const columns = object.columns.filter((column) => !UNWRITTEN.has(column.name));
    this.columns = columns.map((column) => ({ name: column.name, sqlType: column.sqlType, kind: column.kind }));
    this.names = this.columns.map((column) => column.name);
    this.notNull = columns.filter((column) => column.notNull).map((column) => column.name);
    this.encode = lines ? copyLineEncoder(this.columns) : null;
  }

  add(values: RecordValues): void {
    applyDefaults(this.object, values);
    computeFormulas(this.object, values);
    if (this.validate || !this.checkedKeys) this.check(values);
    const row = new Array(this.names.length);
    for (let index = 0; index < this.names.length; index += 1) row[index] = values[this.names[index]] ?? null;
    this.rows.push(this.encode ? this.encode(row) : row);
  }

  /** A value for a column the table lacks, or none for a required one, is a generator bug: fail loudly. */
  private check(values: RecordValues): void {
    this.checkedKeys = true;
    const unknown = Object.keys(values).filter((name) => !this.object.columnByName.has(name) && !OPTIONAL_KEYS.has(name));
    const missing = this.notNull.filter((name) => values[name] === undefined || values[name] === null);
    if (unknown.length || missing.length) {
      throw new Error(`demo data for ${this.object.name}: unknown columns [${unknown.join(", ")}], missing required [${missing.join(", ")}]`);
    }
    if (this.validate) {
      assertValidBody(this.object, "create", writableBody(this.object, values), `/${this.object.name}/${values.id}`);
      assertValidationRules(this.object, values, `/${this.object.name}/${values.id}`);
    }
  }

  take(): unknown[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }
}

export interface TableWriterOptions {
  /** Rows per COPY / INSERT statement. */
  batchRows: number;
  /** Run the API's body validation and validation rules on every record (tests). */
  validate: boolean;
}

/**
 * Buffers rows per table and writes full batches while generation goes on: one batch at a time is in flight on
 * the transaction's connection (PostgreSQL parses a COPY while the next batch is being generated).
 */
export class TableWriter {
  private readonly tables = new Map<string, TableBuffer>();
  private inflight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  rowsWritten = 0;

  constructor(private readonly sink: RowSink, private readonly model: Model, private readonly options: TableWriterOptions) {}

  /** Whether the model has this object (another pack may leave an optional one out). */
  has(objectName: string): boolean {
    return this.model.objects.has(objectName);
  }

  add(objectName: string, values: RecordValues): void {
    let table = this.tables.get(objectName);
    if (!table) {
      const object = this.model.objects.get(objectName);
      if (!object) throw new Error(`demo data: the model has no object "${objectName}"`);
      this.tables.set(objectName, (table = new TableBuffer(object, this.options.validate, this.sink.writeLines !== undefined)));
    }
    table.add(values);
  }

  /** Starts writing every table that has a full batch. */
  async pump(): Promise<void> {
    for (const table of this.tables.values()) if (table.rows.length >= this.options.batchRows) await this.send(table);
  }

  /** Writes everything still buffered and waits for it. */
  async finish(): Promise<void> {
    for (const table of this.tables.values()) if (table.rows.length > 0) await this.send(table);
    await this.inflight;
    if (this.failure) throw this.failure;
  }

  private async send(table: TableBuffer): Promise<void> {
    await this.inflight;
    if (this.failure) throw this.failure;
    const rows = table.take();
    const written = this.sink.writeLines
      ? this.sink.writeLines(table.object.name, table.columns, rows as string[])
      : this.sink.write(table.object.name, table.columns, rows as unknown[][]);
    this.inflight = written.then(
      () => {
        table.written += rows.length;
        this.rowsWritten += rows.length;
      },
      (error: unknown) => {
        this.failure = error;
      },
    );
  }

  /** Rows written per object, in the order the objects were first seen. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.tables.values()].map((table) => [table.object.name, table.written]));
  }
}
