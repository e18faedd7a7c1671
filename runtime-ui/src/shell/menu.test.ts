import { describe, expect, it } from "vitest";
import type { ObjectDescribe } from "../api/types";
import { menuGroups } from "./menu";

const object = (name: string, module?: string, parent: string | null = null) => ({ name, module, parent }) as unknown as ObjectDescribe;
const objects = [object("service_request", "service"), object("customer", "sales"), object("lead", "marketing"), object("order_line", "sales", "sales_order"), object("region", "base"), object("x_custom", "logistics")];

describe("menuGroups", () => {
  it("groups by module in the standard order, without lines, limited to the user's menus", () => {
    const groups = menuGroups({ menus: ["sales", "marketing"], isAdmin: false }, objects);
    expect(groups.map((group) => [group.module, group.objects.map((member) => member.name)])).toEqual([
      ["marketing", ["lead"]],
      ["sales", ["customer"]],
    ]);
  });

  it("shows administrators every module, unknown ones after the standard ones", () => {
    expect(menuGroups({ menus: [], isAdmin: true }, objects).map((group) => group.module)).toEqual(["marketing", "sales", "service", "base", "logistics"]);
  });
});
