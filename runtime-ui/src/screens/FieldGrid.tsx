// One section of fields placed on the react-grid-layout grid (static: users fill it in, studio arranges it).
// On narrow screens the fields stack in one column in reading order, so nothing scrolls sideways.
import type { ReactNode } from "react";
import GridLayout, { useContainerWidth } from "react-grid-layout";
import "react-grid-layout/css/styles.css";
import { GRID_COLUMNS, type FieldPlacement } from "../layout/layout-types";

const ROW_HEIGHT = 78;
const STACK_BELOW_WIDTH = 576;

/** A grid cell; browser tests find a field by its data-field. */
const FieldCell = ({ name, children }: { name: string; children: ReactNode }) => (
  <div className="field-cell" data-field={name}>
    {children}
  </div>
);

/** Lays out the given placements (only the fields to show) with `renderField` drawing each field's label and input. */
export function FieldGrid({ placements, renderField }: { placements: readonly FieldPlacement[]; renderField(name: string): ReactNode }) {
  const { width, containerRef, mounted } = useContainerWidth();
  const stacked = mounted && width < STACK_BELOW_WIDTH;
  return (
    <div ref={containerRef}>
      {stacked ? (
        <div className="stacked-fields">
          {[...placements]
            .sort((left, right) => left.y - right.y || left.x - right.x)
            .map((placement) => (
              <FieldCell key={placement.field} name={placement.field}>
                {renderField(placement.field)}
              </FieldCell>
            ))}
        </div>
      ) : (
        mounted && (
          <GridLayout
            width={width}
            layout={placements.map((placement) => ({ i: placement.field, x: placement.x, y: placement.y, w: placement.w, h: placement.h, static: true }))}
            gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT, margin: [16, 4], containerPadding: [0, 0] }}
            dragConfig={{ enabled: false }}
            resizeConfig={{ enabled: false }}
          >
            {placements.map((placement) => (
              <div key={placement.field}>
                <FieldCell name={placement.field}>{renderField(placement.field)}</FieldCell>
              </div>
            ))}
          </GridLayout>
        )
      )}
    </div>
  );
}
