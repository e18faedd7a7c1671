// Saved list views per user (sys.saved_views): only the owner sees, changes or deletes a view; others' views do not exist.
import type { Knex } from "knex";
import { AppError, notFound } from "../errors/errors";
import { assertMayPerform } from "../access/permissions";
import { objectOf, shapeFor, type RecordsContext } from "../records/read";
import { UUID } from "../registry/columns";
import { assertViewFits, parseViewBody } from "./view-body";

export interface SavedView {
  id: string;
  object: string;
  name: string;
  filter: unknown;
  sort: string | null;
  columns: string[] | null;
  createdAt: string;
  updatedAt: string;
}

interface ViewRow {
  id: string;
  object: string;
  name: string;
  filter: unknown;
  sort: string | null;
  columns: string[] | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = ["id", "object", "name", "filter", "sort", "columns", "created_at", "updated_at"];
const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

const toView = (row: ViewRow): SavedView => ({
  id: row.id,
  object: row.object,
  name: row.name,
  filter: row.filter ?? null,
  sort: row.sort ?? null,
  columns: row.columns ?? null,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

const viewNotFound = (id: string) => notFound({ "zh-CN": `视图不存在: ${id}`, en: `View not found: ${id}` });

const nameTaken = (name: string) =>
  new AppError("DUPLICATE_VALUE", {
    details: [{ path: "/name", message: { "zh-CN": `已有名为 "${name}" 的视图`, en: `A view named "${name}" already exists` } }],
  });

/** The object as the user sees it; views exist only for objects the user may list. */
function visibleObject(context: RecordsContext, objectName: string) {
  const object = objectOf(context.model, objectName);
  assertMayPerform(context.access, object, "view");
  return shapeFor(context, object);
}

const jsonb = (db: Knex, value: unknown) => (value === null || value === undefined ? null : db.raw("?::jsonb", [JSON.stringify(value)]));

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === "23505";

const mine = (context: RecordsContext, objectName: string) =>
  context.db("sys.saved_views").where({ owner_user_id: context.actor.userId, object: objectName });

export async function listViews(context: RecordsContext, objectName: string): Promise<SavedView[]> {
  visibleObject(context, objectName);
  const rows: ViewRow[] = await mine(context, objectName).select(COLUMNS).orderBy([{ column: "name" }, { column: "id" }]);
  return rows.map(toView);
}

export async function createView(context: RecordsContext, objectName: string, body: unknown): Promise<SavedView> {
  const shape = visibleObject(context, objectName);
  const view = parseViewBody("create", body);
  assertViewFits(shape, view);
  try {
    const [row] = await context.db("sys.saved_views")
      .insert({
        owner_user_id: context.actor.userId,
        object: objectName,
        name: view.name,
        filter: jsonb(context.db, view.filter),
        sort: view.sort || null,
        columns: jsonb(context.db, view.columns),
      })
      .returning(COLUMNS);
    return toView(row as ViewRow);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(view.name!);
    throw error;
  }
}

export async function updateView(context: RecordsContext, objectName: string, id: string, body: unknown): Promise<SavedView> {
  const shape = visibleObject(context, objectName);
  if (!UUID.test(id)) throw viewNotFound(id);
  const view = parseViewBody("update", body);
  assertViewFits(shape, view);
  const changes: Record<string, unknown> = { updated_at: context.db.fn.now() };
  if (view.name !== undefined) changes.name = view.name;
  if (view.filter !== undefined) changes.filter = jsonb(context.db, view.filter);
  if (view.sort !== undefined) changes.sort = view.sort || null;
  if (view.columns !== undefined) changes.columns = jsonb(context.db, view.columns);
  try {
    const [row] = await mine(context, objectName).where({ id }).update(changes).returning(COLUMNS);
    if (!row) throw viewNotFound(id);
    return toView(row as ViewRow);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(view.name!);
    throw error;
  }
}

export async function deleteView(context: RecordsContext, objectName: string, id: string): Promise<void> {
  visibleObject(context, objectName);
  if (!UUID.test(id)) throw viewNotFound(id);
  // The rows themselves, not a count: the embedded database's driver reports no row count for DELETE.
  const deleted: unknown[] = await mine(context, objectName).where({ id }).delete().returning("id");
  if (deleted.length === 0) throw viewNotFound(id);
}
