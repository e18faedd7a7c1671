// Organisation invariants the permission model relies on: a salesperson sits in a leaf department.
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import { AppError } from "../errors/errors";

const ruleViolation = (zh: string, en: string, path: string) =>
  new AppError("RULE_VIOLATION", { message: { "zh-CN": zh, en }, details: [{ path, message: { "zh-CN": zh, en } }] });

/**
 * Checked after employee and department writes, inside their transaction: department levels (本级,
 * 本级及下级) are only meaningful when salespeople are never placed on an inner node of the tree.
 */
export async function assertOrgInvariants(trx: Knex.Transaction, model: Model, objectName: string, ids: string[]): Promise<void> {
  const employee = model.objects.get("employee");
  const department = model.objects.get("department");
  if (!employee?.columnByName.has("is_salesperson") || !department?.columnByName.has("parent_department_id")) return;
  if (objectName === "employee") {
    const misplaced = await trx("employee as e")
      .whereIn("e.id", ids)
      .where("e.is_salesperson", true)
      .whereNull("e.deleted_at")
      .whereExists((sub) => sub.select(trx.raw("1")).from("department as d").whereRaw('d.parent_department_id = e.department_id').whereNull("d.deleted_at"))
      .first("e.name");
    if (misplaced) {
      throw ruleViolation(`业务员 ${misplaced.name} 必须属于末级部门`, `Salesperson ${misplaced.name} must belong to a leaf department`, "/department_id");
    }
  }
  if (objectName === "department") {
    const parentWithSales = await trx("department as d")
      .whereIn("d.id", ids)
      .whereNull("d.deleted_at")
      .join("employee as e", "e.department_id", "d.parent_department_id")
      .where("e.is_salesperson", true)
      .whereNull("e.deleted_at")
      .first("e.name");
    if (parentWithSales) {
      throw ruleViolation(
        `上级部门中有业务员（${parentWithSales.name}），不能再增加下级部门`,
        `The parent department has salespeople (${parentWithSales.name}); it cannot get sub-departments`,
        "/parent_department_id",
      );
    }
  }
}
