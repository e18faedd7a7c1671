// Generated records → table rows: the server's own defaults and formulas applied (and, when asked, its body
// validation and rules), every column of the compiled model in order, written in batches through a RowSink.
// A record is prepared when it is made (the story reads computed values such as line amounts back) and written
// later (the automatic grants and a customer's scope keys are settled once its whole story is there).
import type { CompiledObject, Model } from "../../../server/src/registry/model";
import { CUSTOMER_SCOPE_COLUMNS } from "../../../server/src/registry/columns";
import { applyDefaults, assertValidationRules, computeFormulas, type RecordValues } from "../../../server/src/records/computed-values";
import { assertValidBody } from "../../../server/src/records/body-validator";
import { isComputedField } from "../../../server/src/records/record-schema";
import { CopyTextBuffer, copyLineEncoder, type BulkColumn, type RowSink } from "../../../server/src/db/bulk-load";

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

/**
 * The object as far as one pass over its fields goes (only the fields with a default, only the formulas): the
 * server's applyDefaults and computeFormulas then visit just those, not every field of every generated row.
 */
function withFields(object: CompiledObject, keep: (field: CompiledObject["definition"]["fields"][number]) => boolean): CompiledObject {
  return { ...object, definition: { ...object.definition, fields: object.definition.fields.filter(keep) } };
}

/** One table's waiting rows: value arrays, or COPY text when the sink takes it (see RowSink.writeCopyText). */
class RowBuffer {
  private readonly encode: ((row: readonly unknown[]) => string) | null;
  private readonly text: CopyTextBuffer | null;
  private values: unknown[][] = [];
  written = 0;

  constructor(readonly table: string, readonly columns: BulkColumn[], copyText: boolean) {
    this.encode = copyText ? copyLineEncoder(columns) : null;
    this.text = copyText ? new CopyTextBuffer() : null;
  }

  /** Rows and bytes (COPY text only) waiting. */
  get waitingRows(): number {
    return this.text ? this.text.rows : this.values.length;
  }

  get waitingBytes(): number {
    return this.text ? this.text.bytes : 0;
  }

  /** Takes the row (values in the order of the columns); COPY text is made at once, so the array may be reused. */
  add(row: unknown[]): void {
    if (this.text) this.text.append(this.encode!(row));
    else this.values.push(row);
  }

  /** The waiting rows as a batch for the sink. */
  take(): { rows: number; text: Uint8Array[] | null; values: unknown[][] } {
    const rows = this.waitingRows;
    const text = this.text ? this.text.take() : null;
    const values = this.values;
    this.values = [];
    return { rows, text, values };
  }
}

/** A generated object's table: its records prepared as the server would, then written as rows of every column. */
class ObjectTable {
  readonly rows: RowBuffer;
  private readonly names: string[];
  private readonly notNull: string[];
  private readonly defaults: CompiledObject | null;
  private readonly formulas: CompiledObject | null;
  private readonly row: unknown[];
  private readonly reuseRow: boolean;
  private checkedKeys = false;

  constructor(readonly object: CompiledObject, private readonly validate: boolean, copyText: boolean) {
    const columns = object.columns.filter((column) => !UNWRITTEN.has(column.name));
    this.rows = new RowBuffer(object.name, columns.map((column) => ({ name: column.name, sqlType: column.sqlType, kind: column.kind })), copyText);
    this.names = columns.map((column) => column.name);
    this.notNull = columns.filter((column) => column.notNull).map((column) => column.name);
    const defaults = withFields(object, (field) => field.default !== undefined);
    const formulas = withFields(object, (field) => field.type === "formula");
    this.defaults = defaults.definition.fields.length ? defaults : null;
    this.formulas = formulas.definition.fields.length ? formulas : null;
    this.row = new Array(this.names.length);
    this.reuseRow = copyText;
  }

  /** Defaults and formulas, as the records service fills them (and its validation, when asked). */
  prepare(values: RecordValues): void {
    if (this.defaults) applyDefaults(this.defaults, values);
    if (this.formulas) computeFormulas(this.formulas, values);
    if (this.validate || !this.checkedKeys) this.check(values);
  }

  add(values: RecordValues): void {
    const row = this.reuseRow ? this.row : new Array(this.names.length);
    for (let index = 0; index < this.names.length; index += 1) row[index] = values[this.names[index]] ?? null;
    this.rows.add(row);
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
}

export interface TableWriterOptions {
  /** Rows per INSERT statement (batched INSERT … unnest()). */
  batchRows: number;
  /** Bytes of text per COPY statement. */
  batchBytes: number;
  /** Run the API's body validation and validation rules on every record (tests). */
  validate: boolean;
}

/**
 * Buffers rows per table and writes full batches while generation goes on: one batch at a time is in flight on
 * the transaction's connection (PostgreSQL parses a COPY while the next batch is being generated).
 */
export class TableWriter {
  private readonly objects = new Map<string, ObjectTable>();
  /** Every table with rows, in the order first seen: the objects' and others (sys.auto_grants). */
  private readonly tables = new Map<string, RowBuffer>();
  private inflight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  rowsWritten = 0;

  constructor(private readonly sink: RowSink, private readonly model: Model, private readonly options: TableWriterOptions) {}

  /** Whether the model has this object (another pack may leave an optional one out). */
  has(objectName: string): boolean {
    return this.model.objects.has(objectName);
  }

  private objectTable(objectName: string): ObjectTable {
    let table = this.objects.get(objectName);
    if (!table) {
      const object = this.model.objects.get(objectName);
      if (!object) throw new Error(`demo data: the model has no object "${objectName}"`);
      this.objects.set(objectName, (table = new ObjectTable(object, this.options.validate, this.sink.writeCopyText !== undefined)));
      this.tables.set(objectName, table.rows);
    }
    return table;
  }

  /** Fills the record's defaults and formulas (and validates it, when asked); add writes it. */
  prepare(objectName: string, values: RecordValues): void {
    this.objectTable(objectName).prepare(values);
  }

  /** Queues a prepared record for writing. */
  add(objectName: string, values: RecordValues): void {
    this.objectTable(objectName).add(values);
  }

  /** Queues a row of a table outside the model (values in the order of `columns`). */
  addRow(table: string, columns: BulkColumn[], row: unknown[]): void {
    let buffer = this.tables.get(table);
    if (!buffer) this.tables.set(table, (buffer = new RowBuffer(table, columns, this.sink.writeCopyText !== undefined)));
    buffer.add(row);
  }

  /** Starts writing every table that has a full batch. */
  async pump(): Promise<void> {
    for (const table of this.tables.values()) {
      if (table.waitingBytes >= this.options.batchBytes || table.waitingRows >= this.options.batchRows) await this.send(table);
    }
  }

  /** Writes everything still buffered and waits for it. */
  async finish(): Promise<void> {
    for (const table of this.tables.values()) if (table.waitingRows > 0) await this.send(table);
    await this.inflight;
    if (this.failure) throw this.failure;
  }

  private async send(table: RowBuffer): Promise<void> {
    await this.inflight;
    if (this.failure) throw this.failure;
    const batch = table.take();
    const written = batch.text ? this.sink.writeCopyText!(table.table, table.columns, batch.text) : this.sink.write(table.table, table.columns, batch.values);
    this.inflight = written.then(
      () => {
        table.written += batch.rows;
        this.rowsWritten += batch.rows;
      },
      (error: unknown) => {
        this.failure = error;
      },
    );
  }

  /** Rows written per generated object, in the order the objects were first seen. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.objects.values()].map((table) => [table.object.name, table.rows.written]));
  }

  /** Rows written into a table outside the model. */
  writtenTo(table: string): number {
    return this.tables.get(table)?.written ?? 0;
  }
}
