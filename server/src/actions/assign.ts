// 分配 (线索分配 / 商机分配): the record goes to another employee the caller may see, and its department follows the
// new owner. The records service makes the edit, so the reassign right, field permissions, locks and audit apply.
import type { AssignAction } from "@crm/metadata";
import { UUID_PATTERN } from "../registry/columns";
import { validationFailed } from "../errors/errors";
import { idsWithinScope } from "../records/access-guard";
import { objectOf, updateRecord } from "../records/service";
import type { ActionInterpreter, ActionRun, CreatedRecords } from "./crm-actions";

interface AssignBody {
  /** The employee who becomes responsible (负责员工). */
  owner_id: string;
}

const bodySchema = {
  type: "object",
  required: ["owner_id"],
  properties: { owner_id: { type: "string", pattern: UUID_PATTERN } },
  additionalProperties: false,
} as const;

/** An employee the caller may not see answers exactly like one that does not exist. */
const unknownEmployee = (id: string) =>
  validationFailed([{ path: "/owner_id", message: { "zh-CN": `员工不存在: ${id}`, en: `The employee does not exist: ${id}` } }]);

async function run(input: ActionRun<AssignAction, AssignBody>): Promise<CreatedRecords> {
  const { context, trx, object, record, body } = input;
  const employee = objectOf(context.model, "employee");
  const visible = await idsWithinScope({ db: trx, model: context.model, access: context.access, object: employee, ids: [body.owner_id], action: "view" });
  if (!visible.has(body.owner_id)) throw unknownEmployee(body.owner_id);
  const owner = employee.columnByName.has("department_id") ? await trx(employee.name).where({ id: body.owner_id }).first("department_id") : undefined;
  await updateRecord(context, object.name, record.id as string, {
    version: record.version,
    owner_id: body.owner_id,
    department_id: (owner?.department_id as string | null | undefined) ?? null,
  });
  return {};
}

export const assign: ActionInterpreter = { bodySchema, run };
