// How each field type is stored: field definition → PostgreSQL column, and the object's implicit columns.
import type { FieldDefinition, FieldType, FormulaResultType, ObjectDefinition } from "@crm/metadata";

/** How a column's values behave in filters, sorts and JSON: the storage family of a field type. */
export type ValueKind =
  | "text"
  | "number"
  | "date"
  | "datetime"
  | "boolean"
  | "uuid"
  | "text_array"
  | "uuid_array"
  | "json";

/** Record ids (uuid columns), as text; one pattern for request checks, cursors and JSON Schemas. */
export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
export const UUID = new RegExp(UUID_PATTERN);

export interface ColumnSpec {
  /** Stable key: the field id for declared fields, `sys:<name>` for implicit ones. */
  key: string;
  name: string;
  sqlType: string;
  kind: ValueKind;
  notNull: boolean;
  /** SQL default expression (trusted: produced here, never from user input). */
  sqlDefault?: string;
  /** Table referenced by a foreign key on this column. */
  references?: string;
  onDelete?: "cascade" | "restrict" | "set null";
  unique: boolean;
  /** Index serving filters and keyset sorts: (column, id) for scalars, GIN for arrays. */
  indexed: boolean;
  /** A declared field (false for system / ownership / parent columns). */
  declared: boolean;
}

interface TypeStorage {
  sqlType(field: FieldDefinition): string;
  kind: ValueKind;
}

const numericType = (field: FieldDefinition): string => `numeric(18,${field.scale ?? 2})`;

const FORMULA_STORAGE: Record<FormulaResultType, TypeStorage> = {
  text: { sqlType: () => "text", kind: "text" },
  integer: { sqlType: () => "bigint", kind: "number" },
  decimal: { sqlType: numericType, kind: "number" },
  amount: { sqlType: numericType, kind: "number" },
  percent: { sqlType: numericType, kind: "number" },
  date: { sqlType: () => "date", kind: "date" },
  boolean: { sqlType: () => "boolean", kind: "boolean" },
};

/** One entry per field type: the single place that decides storage. */
export const FIELD_STORAGE: Record<Exclude<FieldType, "master_detail" | "formula">, TypeStorage> = {
  text: { sqlType: () => "text", kind: "text" },
  textarea: { sqlType: () => "text", kind: "text" },
  email: { sqlType: () => "text", kind: "text" },
  phone: { sqlType: () => "text", kind: "text" },
  auto_number: { sqlType: () => "text", kind: "text" },
  integer: { sqlType: () => "bigint", kind: "number" },
  decimal: { sqlType: numericType, kind: "number" },
  amount: { sqlType: numericType, kind: "number" },
  percent: { sqlType: numericType, kind: "number" },
  date: { sqlType: () => "date", kind: "date" },
  datetime: { sqlType: () => "timestamptz(3)", kind: "datetime" },
  boolean: { sqlType: () => "boolean", kind: "boolean" },
  picklist: { sqlType: () => "text", kind: "text" },
  multi_picklist: { sqlType: () => "text[]", kind: "text_array" },
  lookup: { sqlType: () => "uuid", kind: "uuid" },
  employee: { sqlType: () => "uuid", kind: "uuid" },
  department: { sqlType: () => "uuid", kind: "uuid" },
  address: { sqlType: () => "jsonb", kind: "json" },
  attachment: { sqlType: () => "jsonb", kind: "json" },
};

export function storageOf(field: FieldDefinition): TypeStorage | undefined {
  if (field.type === "master_detail") return undefined;
  if (field.type === "formula") return FORMULA_STORAGE[field.resultType ?? "text"];
  return FIELD_STORAGE[field.type];
}

function referencedTable(field: FieldDefinition): string | undefined {
  if (field.type === "lookup") return field.target;
  if (field.type === "employee") return "employee";
  if (field.type === "department") return "department";
  return undefined;
}

function systemColumn(name: string, sqlType: string, kind: ValueKind, extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return { key: `sys:${name}`, name, sqlType, kind, notNull: false, unique: false, indexed: false, declared: false, ...extra };
}

/**
 * Scope keys of a record's customer (负责员工, 部门, 相关员工), copied onto records that belong to a
 * customer and kept current by the server: "visible through its customer" then becomes a condition
 * on the record's own indexed columns instead of a sub-select over the customer table.
 */
export const CUSTOMER_SCOPE_COLUMNS: { name: string; source: string; sqlType: string; kind: ValueKind; extra: Partial<ColumnSpec> }[] = [
  { name: "customer_owner_id", source: "owner_id", sqlType: "uuid", kind: "uuid", extra: { indexed: true } },
  { name: "customer_department_id", source: "department_id", sqlType: "uuid", kind: "uuid", extra: { indexed: true } },
  { name: "customer_related_ids", source: "related_employee_ids", sqlType: "uuid[]", kind: "uuid_array", extra: { notNull: true, sqlDefault: "'{}'::uuid[]", indexed: true } },
];

/** Records with data permissions that belong to a customer carry its scope keys. */
export function inheritsCustomerScope(object: ObjectDefinition): boolean {
  const declared = object.fields.find((field) => field.name === "customer_id");
  const linked = declared ? declared.type === "lookup" && declared.target === "customer" : object.belongsToCustomer === true;
  return object.name !== "customer" && object.ownership === true && linked;
}

export interface ObjectContext {
  /** Name of the master object when this object is the child of a master_detail field. */
  parentObject?: string;
  /** Objects that exist in the model (foreign keys only point at these). */
  objectNames: ReadonlySet<string>;
}

/** Every column of an object's table, in creation order: system, implicit, then declared fields. */
export function describeColumns(object: ObjectDefinition, context: ObjectContext): ColumnSpec[] {
  const exists = (table: string | undefined) => (table && context.objectNames.has(table) ? table : undefined);
  const columns: ColumnSpec[] = [
    systemColumn("id", "uuid", "uuid", { notNull: true, sqlDefault: "sys.time_ordered_uuid()" }),
    systemColumn("version", "integer", "number", { notNull: true, sqlDefault: "1" }),
    systemColumn("created_at", "timestamptz(3)", "datetime", { notNull: true, sqlDefault: "now()", indexed: true }),
    systemColumn("created_by", "uuid", "uuid"),
    systemColumn("updated_at", "timestamptz(3)", "datetime", { notNull: true, sqlDefault: "now()", indexed: true }),
    systemColumn("updated_by", "uuid", "uuid"),
    systemColumn("deleted_at", "timestamptz(3)", "datetime"),
    systemColumn("deleted_by", "uuid", "uuid"),
  ];
  if (context.parentObject) {
    columns.push(
      systemColumn("parent_id", "uuid", "uuid", {
        notNull: true,
        references: context.parentObject,
        onDelete: "cascade",
        indexed: true,
      }),
      // Lines keep the order the user gave them; created_at ties within one insert.
      systemColumn("line_no", "integer", "number", { notNull: true, sqlDefault: "0" }),
    );
  }
  if (object.ownership) {
    columns.push(
      systemColumn("owner_id", "uuid", "uuid", { references: exists("employee"), indexed: true }),
      systemColumn("department_id", "uuid", "uuid", { references: exists("department"), indexed: true }),
      systemColumn("related_employee_ids", "uuid[]", "uuid_array", { notNull: true, sqlDefault: "'{}'::uuid[]", indexed: true }),
    );
  }
  const declaresCustomer = object.fields.some((field) => field.name === "customer_id" && field.type === "lookup");
  if (object.belongsToCustomer && !declaresCustomer) {
    columns.push(systemColumn("customer_id", "uuid", "uuid", { references: exists("customer"), indexed: true }));
  }
  if (inheritsCustomerScope(object)) columns.push(...CUSTOMER_SCOPE_COLUMNS.map((column) => systemColumn(column.name, column.sqlType, column.kind, column.extra)));
  for (const field of object.fields) {
    const storage = storageOf(field);
    if (!storage) continue;
    const references = exists(referencedTable(field));
    columns.push({
      key: field.id ?? `name:${field.name}`,
      name: field.name,
      sqlType: storage.sqlType(field),
      kind: storage.kind,
      notNull: false,
      references,
      onDelete: references ? "restrict" : undefined,
      unique: field.unique === true,
      indexed: field.indexed === true || field.unique === true || references !== undefined || storage.kind === "text_array",
      declared: true,
    });
  }
  return columns;
}

/** Child objects of master_detail fields, mapped to their master: child name → parent name. */
export function masterOf(objects: readonly ObjectDefinition[]): Map<string, string> {
  const parents = new Map<string, string>();
  for (const object of objects) {
    for (const field of object.fields) {
      if (field.type === "master_detail" && field.target) parents.set(field.target, object.name);
    }
  }
  return parents;
}
