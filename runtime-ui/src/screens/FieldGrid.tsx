// One section of fields placed on the react-grid-layout grid (static: users fill it in, studio arranges it).
// On narrow screens the fields stack in one column in reading order, so nothing scrolls sideways.
import { Form } from "antd";
import GridLayout, { useContainerWidth } from "react-grid-layout";
import "react-grid-layout/css/styles.css";
import type { ScreenField } from "../layout/fields";
import { GRID_COLUMNS, type FieldPlacement } from "../layout/layout-types";
import { FieldWidget } from "../fields/FieldWidget";
import { useI18n } from "../i18n/locale";

const ROW_HEIGHT = 78;
const STACK_BELOW_WIDTH = 576;

function FieldCell({ field, required }: { field: ScreenField; required: boolean }) {
  const { t, text } = useI18n();
  const label = text(field.definition.label, field.definition.name);
  return (
    <div className="field-cell" data-field={field.definition.name}>
      <Form.Item
        name={field.definition.name}
        label={label}
        valuePropName="value"
        rules={required ? [{ required: true, message: t("requiredField", { label }) }] : undefined}
      >
        <FieldWidget definition={field.definition} disabled={field.readOnly} />
      </Form.Item>
    </div>
  );
}

export function FieldGrid({ placements, fields, creating }: { placements: FieldPlacement[]; fields: ReadonlyMap<string, ScreenField>; creating: boolean }) {
  const { width, containerRef, mounted } = useContainerWidth();
  // Fields the user may not see are absent from the map: they are not placed at all. A new record has no
  // server-filled values yet (numbers, formulas, timestamps), so those cells would only be empty boxes.
  const visible = placements.filter((placement) => fields.has(placement.field) && !(creating && fields.get(placement.field)!.serverFilled));
  const required = (field: ScreenField) => creating && !field.readOnly && field.definition.required === true && field.definition.type !== "boolean";
  const stacked = mounted && width < STACK_BELOW_WIDTH;
  return (
    <div ref={containerRef}>
      {stacked ? (
        <div className="stacked-fields">
          {[...visible]
            .sort((left, right) => left.y - right.y || left.x - right.x)
            .map((placement) => (
              <FieldCell key={placement.field} field={fields.get(placement.field)!} required={required(fields.get(placement.field)!)} />
            ))}
        </div>
      ) : (
        mounted && (
          <GridLayout
            width={width}
            layout={visible.map((placement) => ({ i: placement.field, x: placement.x, y: placement.y, w: placement.w, h: placement.h, static: true }))}
            gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT, margin: [16, 4], containerPadding: [0, 0] }}
            dragConfig={{ enabled: false }}
            resizeConfig={{ enabled: false }}
          >
            {visible.map((placement) => (
              <div key={placement.field}>
                <FieldCell field={fields.get(placement.field)!} required={required(fields.get(placement.field)!)} />
              </div>
            ))}
          </GridLayout>
        )
      )}
    </div>
  );
}
