// Layouts in a model change: incoming ones replace the stored ones by object; stored ones follow their object's changes.
import { defaultLayout, fitLayout, renameLayoutFields, stableStringify, type LayoutDefinition, type ObjectDefinition } from "@crm/metadata";
import type { CompiledObject, Model } from "./model";

export interface LayoutChange {
  /** Every layout of the target model, one per object at most. */
  target: LayoutDefinition[];
  /** Layouts to write (new, replaced, or adjusted to a changed object). */
  changed: LayoutDefinition[];
  /** Stored layout documents to remove: their object was renamed, the layout now goes by the new name. */
  removed: string[];
}

/** Old name → new name of the fields of `object` that keep their id under another name. */
function renamedFields(stored: ObjectDefinition | undefined, object: ObjectDefinition): Map<string, string> {
  const oldNameById = new Map((stored?.fields ?? []).flatMap((field) => (field.id ? [[field.id, field.name] as const] : [])));
  const renamed = new Map<string, string>();
  for (const field of object.fields) {
    const oldName = field.id && oldNameById.get(field.id);
    if (oldName && oldName !== field.name) renamed.set(oldName, field.name);
  }
  return renamed;
}

/**
 * Incoming layouts are taken as sent (validateModel then checks them strictly). Stored layouts of changed
 * objects follow their object's and fields' renames and are pruned of dropped fields, so that renaming or
 * dropping a field never fails because a layout shows it.
 */
export function planLayoutChange(input: {
  stored: readonly LayoutDefinition[];
  incoming: readonly LayoutDefinition[];
  storedObjects: readonly ObjectDefinition[];
  targetObjects: readonly ObjectDefinition[];
  changedObjects: readonly ObjectDefinition[];
}): LayoutChange {
  const storedById = new Map(input.storedObjects.map((object) => [object.id, object]));
  const renamed = new Map<string, string>();
  for (const object of input.changedObjects) {
    const oldName = storedById.get(object.id)?.name;
    if (oldName && oldName !== object.name) renamed.set(oldName, object.name);
  }
  const changedByName = new Map(input.changedObjects.map((object) => [object.name, object]));
  const byObject = new Map<string, LayoutDefinition>();
  for (const layout of input.stored) {
    const name = renamed.get(layout.object) ?? layout.object;
    const changed = changedByName.get(name);
    const followed = changed
      ? fitLayout(renameLayoutFields({ ...layout, object: name }, renamedFields(changed.id ? storedById.get(changed.id) : undefined, changed), changed), input.targetObjects)
      : layout;
    if (followed) byObject.set(name, followed);
  }
  for (const layout of input.incoming) byObject.set(layout.object, layout);
  const storedByObject = new Map(input.stored.map((layout) => [layout.object, layout]));
  const target = [...byObject.values()];
  return {
    target,
    changed: target.filter((layout) => stableStringify(layout) !== stableStringify(storedByObject.get(layout.object))),
    removed: [...renamed.keys()].filter((name) => storedByObject.has(name)),
  };
}

const computed = new WeakMap<CompiledObject, LayoutDefinition>();

/** The object's layout document, or the one computed from its definition when it has none (once per model version). */
export function layoutOf(object: CompiledObject): LayoutDefinition {
  const stored = object.model.layouts.get(object.name);
  if (stored) return stored;
  let layout = computed.get(object);
  if (!layout) {
    const definitions = [...object.model.objects.values()].map((candidate) => candidate.definition);
    computed.set(object, (layout = defaultLayout(object.definition, definitions)));
  }
  return layout;
}

export const layoutsOf = (model: Model) => [...model.layouts.values()];
