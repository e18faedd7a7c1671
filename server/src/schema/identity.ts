// Stable ids for objects and fields: keep the ones given, reuse the current ones by name, mint new ones otherwise.
import { randomUUID } from "node:crypto";
import type { FieldDefinition, ObjectDefinition } from "@crm/metadata";

export type IdKind = "obj" | "fld";
export type IdGenerator = (kind: IdKind) => string;

export const randomStableId: IdGenerator = (kind) => `${kind}_${randomUUID().replaceAll("-", "")}`;

interface Identified {
  id?: string;
  name: string;
}

/**
 * An incoming item with an id keeps it (a rename is the same id under a new name). One without an id
 * takes the id of the current item with its name, unless another incoming item claimed that id
 * explicitly (`a` renamed to `b` and a new `a` added: the new `a` is a new item), else a new id.
 */
function assignIds<T extends Identified>(current: readonly T[], incoming: readonly T[], mint: () => string): (T & { id: string })[] {
  const claimed = new Set(incoming.flatMap((item) => (item.id ? [item.id] : [])));
  const currentByName = new Map(current.map((item) => [item.name, item.id]));
  return incoming.map((item) => {
    const reusable = currentByName.get(item.name);
    const id = item.id ?? (reusable && !claimed.has(reusable) ? reusable : mint());
    claimed.add(id);
    // Rebuilt with id first so that canonical JSON keeps one key order.
    const { id: _given, ...rest } = item;
    return { id, ...rest } as T & { id: string };
  });
}

export function assignStableIds(
  current: readonly ObjectDefinition[],
  incoming: readonly ObjectDefinition[],
  newId: IdGenerator = randomStableId,
): ObjectDefinition[] {
  const currentById = new Map(current.flatMap((object) => (object.id ? [[object.id, object] as const] : [])));
  return assignIds(current, incoming, () => newId("obj")).map((object) => {
    const previousFields: FieldDefinition[] = currentById.get(object.id)?.fields ?? [];
    return { ...object, fields: assignIds(previousFields, object.fields, () => newId("fld")) };
  });
}
