// Errors of planning and applying a schema change, as AppErrors with codes from the one registry.
import type { LocalizedText } from "@crm/metadata";
import { AppError, type ErrorDetail } from "../errors/errors";

/** The planner refused the input model (bad identifier, missing id, duplicate name, unknown index field). */
export class SchemaPlanError extends AppError {
  constructor(details: ErrorDetail[]) {
    super("INVALID_METADATA", { details });
    this.name = "SchemaPlanError";
  }
}

/** The plan loses data and the request did not confirm it. */
export class DestructiveChangeError extends AppError {
  constructor(changes: readonly { path: string; reason: LocalizedText }[]) {
    super("DESTRUCTIVE_CHANGE_NOT_CONFIRMED", { details: changes.map((change) => ({ path: change.path, message: change.reason })) });
    this.name = "DestructiveChangeError";
  }
}

export interface CastFailure {
  object: string;
  field: string;
  from: string;
  to: string;
}

/** Converting a column's existing values to the new type failed (e.g. 'abc' → integer). */
export class SchemaCastError extends AppError {
  constructor(
    readonly failure: CastFailure,
    cause: unknown,
  ) {
    const { object, field, from, to } = failure;
    const reason = driverReason(cause);
    const message = {
      "zh-CN": `字段 ${object}.${field} 的已有数据无法从 ${from} 转换为 ${to}：${reason}`,
      en: `Existing values of ${object}.${field} cannot be converted from ${from} to ${to}: ${reason}`,
    };
    super("SCHEMA_CAST_FAILED", { message, details: [{ path: `/objects/${object}/fields/${field}`, message }] });
    this.name = "SchemaCastError";
    this.cause = cause;
  }
}

/** A step broke a constraint on existing rows: duplicates under a new unique index, NULLs, dangling references. */
export class SchemaDataConflictError extends AppError {
  constructor(path: string, step: LocalizedText, cause: unknown) {
    const reason = driverReason(cause);
    const message = { "zh-CN": `已有数据不满足变更「${step["zh-CN"]}」：${reason}`, en: `Existing data prevents "${step.en}": ${reason}` };
    super(pgCode(cause) === "23505" ? "DUPLICATE_VALUE" : "VALIDATION_FAILED", { message, details: [{ path, message }] });
    this.name = "SchemaDataConflictError";
    this.cause = cause;
  }
}

/** The SQLSTATE of a driver error (pg and PGlite both put it on `code`). */
export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function driverReason(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  // knex prefixes the driver's message with the whole statement; the reason is what follows the last " - ".
  return message.split(" - ").pop() ?? message;
}
