// The typed result of planning: DDL steps in the order they apply, and the data-losing changes among them.
import type { LocalizedText } from "@crm/metadata";

interface StepBase {
  /** One statement, ready to run; every identifier checked and double-quoted (a multi-statement step: all of them, to read). */
  sql: string;
  description: LocalizedText;
}

type OnDelete = "cascade" | "restrict" | "set null";

export type SchemaStep = StepBase &
  (
    | { type: "create_table"; table: string; columns: string[] }
    | { type: "rename_table"; from: string; to: string }
    | { type: "add_column"; table: string; column: string; sqlType: string }
    | { type: "rename_column"; table: string; from: string; to: string }
    | { type: "alter_column_type"; table: string; column: string; from: string; to: string; using: string; narrowing: boolean }
    | { type: "drop_column"; table: string; column: string }
    | { type: "set_not_null"; table: string; column: string }
    | { type: "drop_not_null"; table: string; column: string }
    | { type: "add_foreign_key"; table: string; column: string; name: string; references: string; onDelete?: OnDelete }
    | { type: "drop_foreign_key"; table: string; name: string }
    | { type: "rename_foreign_key"; table: string; from: string; to: string }
    | { type: "create_index"; table: string; name: string; columns: string[]; method: "btree" | "gin"; unique: boolean }
    | { type: "drop_index"; name: string }
    | { type: "rename_index"; from: string; to: string }
    /** An object's personal keys (schema/related-keys.ts): its side table, triggers and fill; run in order. */
    | { type: "create_related_keys"; table: string; statements: string[] }
    | { type: "drop_related_keys"; table: string; statements: string[] }
  );

export type SchemaStepType = SchemaStep["type"];

/** Only changes that lose data are destructive; adding constraints that may fail is not (it fails whole). */
export interface DestructiveChange {
  /** `/objects/<object>/fields/<field>` (object: its name in the target model). */
  path: string;
  kind: "drop_field" | "narrow_type";
  object: string;
  field: string;
  reason: LocalizedText;
}

export interface SchemaPlan {
  steps: SchemaStep[];
  destructive: DestructiveChange[];
}
