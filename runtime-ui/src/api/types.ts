// Shapes of the server's answers that the runtime UI reads; metadata types come from @crm/metadata.
import type { Action, ActionDefinition, FieldDefinition, LocalizedText, ObjectDefinition, OptionSetDefinition } from "@crm/metadata";
import type { ObjectLayout } from "../layout/layout-types";

export type { Action, ActionDefinition, FieldDefinition, LocalizedText, ObjectDefinition, OptionSetDefinition };
// By path, like the default layout: the package entry would also bring the ajv validators into the bundle.
export { ACTIONS } from "../../../metadata/src/types";

export interface Relation {
  name: string;
  kind: "lookup" | "children";
  object: string;
  column: string;
}

/** GET /api/metadata/objects/:object: the definition as the signed-in user may see it. */
export interface ObjectDescribe extends ObjectDefinition {
  access: { actions: Action[]; hidden: string[]; readOnly: string[] };
  systemFields: string[];
  parent: string | null;
  relations: Relation[];
  modelVersion: number;
  /** The JSON Schema of a record as the API returns it, without hidden fields (compiled by the server per model version). */
  recordSchema?: { type?: unknown; properties?: Record<string, unknown> };
  /** Sent by the server (stored layout document or its default, without hidden fields); computed here when absent. */
  layout?: ObjectLayout;
}

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  employeeId: string | null;
  roles: string[];
  isAdmin: boolean;
  locale: string;
  department: { id: string; code: string; name: string } | null;
  menus: string[];
}

export type RecordValues = Record<string, unknown> & { id?: string; version?: number };

export interface ListResult {
  records: RecordValues[];
  nextCursor: string | null;
  total?: number;
}

export interface HistoryEntry {
  id: number;
  at: string;
  username: string | null;
  action: string;
  changes: { field: string; before: unknown; after: unknown }[];
}

export interface ErrorDetail {
  path: string;
  message: string | LocalizedText;
}
