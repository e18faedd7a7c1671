// Builds the navigation menu: the objects the user may view, grouped by module, limited to the user's menus.
import type { CurrentUser, ObjectDescribe } from "../api/types";
import type { MessageKey } from "../i18n/messages";

/** Known modules in menu order, with their label keys; other modules follow under their own name. */
export const MODULES: { name: string; label: MessageKey }[] = [
  { name: "marketing", label: "moduleMarketing" },
  { name: "sales", label: "moduleSales" },
  { name: "service", label: "moduleService" },
  { name: "base", label: "moduleBase" },
];

export interface MenuGroup {
  module: string;
  objects: ObjectDescribe[];
}

export function menuGroups(user: Pick<CurrentUser, "menus" | "isAdmin">, objects: ObjectDescribe[]): MenuGroup[] {
  const allowedModules = new Set(user.menus);
  const groups = new Map<string, ObjectDescribe[]>();
  for (const object of objects) {
    // Lines (master-detail children) are edited inside their master, never on their own.
    if (object.parent) continue;
    const module = object.module ?? "other";
    if (!user.isAdmin && !allowedModules.has(module)) continue;
    groups.set(module, [...(groups.get(module) ?? []), object]);
  }
  const order = (module: string) => {
    const index = MODULES.findIndex((known) => known.name === module);
    return index === -1 ? MODULES.length : index;
  };
  return [...groups.entries()]
    .sort(([left], [right]) => order(left) - order(right) || left.localeCompare(right))
    .map(([module, members]) => ({ module, objects: members }));
}
