// The list screen's advanced filter: a button showing how many conditions apply, opening the builder's drawer.
// The drawer is its own chunk (FilterDrawer.tsx), fetched when the button is first pointed at, focused or pressed,
// or once the list's rows are shown (preloadFilterDrawer), so the list paints without the builder's code.
import { Suspense, useState } from "react";
import { Badge, Button } from "antd";
import { FilterOutlined } from "@ant-design/icons";
import { preloadableLazy } from "../routing/preloadable-lazy";
import { countConditions, emptyGroup, type FilterGroup } from "./filter-model";
import type { FilterField } from "./filter-fields";
import { useFilterText } from "./filter-text";

const DRAWER = preloadableLazy(() => import("./FilterDrawer"));
const FilterDrawer = DRAWER.Component;

/** Fetches the drawer's code ahead of its first opening. */
export const preloadFilterDrawer = DRAWER.preload;

export interface FilterBuilderProps {
  fields: Map<string, FilterField>;
  /** The applied filter; null when the applied filter cannot be shown in the builder. */
  value: FilterGroup | null;
  onApply(next: FilterGroup): void;
}

/** A button showing how many conditions apply, opening the builder; changes apply on 应用. */
export function FilterBuilder({ fields, value, onApply }: FilterBuilderProps) {
  const ft = useFilterText();
  const [open, setOpen] = useState(false);
  // Mounted from the first opening on (and kept, so that it closes with its animation).
  const [mounted, setMounted] = useState(false);
  const [draft, setDraft] = useState<FilterGroup>(value ?? emptyGroup());
  const count = value ? countConditions(value) : 1;
  const show = () => {
    setDraft(value ?? emptyGroup());
    // Opens once the drawer's code is here (usually it is: fetched on hover or once the rows were shown), so the
    // drawer mounts and opens as it did when it was part of the list, never through a Suspense fallback.
    void preloadFilterDrawer().then(() => {
      setMounted(true);
      setOpen(true);
    });
  };
  return (
    <>
      <Badge count={count} size="small">
        <Button icon={<FilterOutlined />} onClick={show} onPointerEnter={preloadFilterDrawer} onFocus={preloadFilterDrawer}>
          {ft("advancedFilter")}
        </Button>
      </Badge>
      {mounted && (
        <Suspense fallback={null}>
          <FilterDrawer open={open} fields={fields} value={value} draft={draft} onDraftChange={setDraft} onApply={onApply} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
