// What a report is: labels, parameters, the objects and fields it reads, one SQL aggregation query and a pure shaping step.
import type { Knex } from "knex";
import type { LocalizedText } from "@crm/metadata";
import type { ErrorDetail } from "../errors/errors";
import type { Model } from "../registry/model";
import type { ReportScope } from "./base";
import type { CommonParameters, JsonSchema } from "./parameters";

export type ReportRow = Record<string, unknown>;

export interface ReportDefinition<P extends CommonParameters = CommonParameters, R = unknown> {
  name: string;
  label: LocalizedText;
  description: LocalizedText;
  /** Base objects and the fields the query uses: the caller needs view on each object and none may be hidden. */
  reads: Readonly<Record<string, readonly string[]>>;
  /** The base object that department_id / owner_id narrow. */
  filtered: string;
  /** JSON Schema of the query-string parameters (see parametersSchema). */
  parameters: JsonSchema;
  /** Checks across parameters that a schema cannot say, as 400 details. */
  check?(params: P): ErrorDetail[];
  /** The report as ONE aggregation query: every base table restricted by the caller's view scope. */
  query(scope: ReportScope, params: P): Knex.QueryBuilder;
  /** Aggregated rows → the answer (pure: labels, ordering, empty groups; never filtering). */
  present(rows: ReportRow[], context: { model: Model; params: P }): R;
}
