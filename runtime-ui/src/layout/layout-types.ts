// The layout contract (layouts/*.json, sent as the describe's "layout" key) is the metadata language's own type.
export type {
  DetailLayout,
  DetailSection,
  FieldSection,
  GridField as FieldPlacement,
  LayoutDefinition as ObjectLayout,
  LinesSection,
  ListColumn,
  ListLayout,
  RecordTypeLayouts,
  RecordTypeVariant,
  RelatedTab,
} from "@crm/metadata";

/**
 * Width of the detail grid. Typed as the metadata's constant so a change there fails to compile here; the value
 * is not imported because its module also builds the layout validator, which the browser does not need.
 */
export const GRID_COLUMNS: typeof import("@crm/metadata").LAYOUT_GRID_COLUMNS = 12;
