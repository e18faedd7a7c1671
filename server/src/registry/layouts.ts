// Layouts in a model change: incoming ones replace the stored ones by object; stored ones follow their object's changes.
import { defaultLayout, fitLayout, stableStringify, type LayoutDefinition, type ObjectDefinition } from "@crm/metadata";
import type { CompiledObject, Model } from "./model";

export interface LayoutChange {
  /** Every layout of the target model, one per object at most. */
  target: LayoutDefinition[];
  /** Layouts to write (new, replaced, or adjusted to a changed object). */
  changed: LayoutDefinition[];
  /** Stored layout documents to remove: their object was renamed, the layout now goes by the new name. */
  removed: string[];
}

/**
 * Incoming layouts are taken as sent (validateModel then checks them strictly). Stored layouts of changed
 * objects are renamed with their object and pruned of dropped fields, so that dropping a field never fails
 * because a layout shows it.
 */
export function planLayoutChange(input: {
  stored: readonly LayoutDefinition[];
  incoming: readonly LayoutDefinition[];
  storedObjects: readonly ObjectDefinition[];
  targetObjects: readonly ObjectDefinition[];
  changedObjects: readonly ObjectDefinition[];
}): LayoutChange {
  const oldNameById = new Map(input.storedObjects.map((object) => [object.id, object.name]));
  const renamed = new Map<string, string>();
  for (const object of input.changedObjects) {
    const oldName = oldNameById.get(object.id);
    if (oldName && oldName !== object.name) renamed.set(oldName, object.name);
  }
  const touched = new Set(input.changedObjects.map((object) => object.name));
  const byObject = new Map<string, LayoutDefinition>();
  for (const layout of input.stored) {
    const name = renamed.get(layout.object) ?? layout.object;
    const followed = touched.has(name) ? fitLayout({ ...layout, object: name }, input.targetObjects) : layout;
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
