// The rjsf parts of the record form: one widget per field type wrapping our field widgets, custom fields for
// addresses and master-detail lines, a field template (antd Form.Item, label above) and the layout template that
// places the root object's properties in the layout's sections on the react-grid-layout grid.
import type { ReactNode } from "react";
import { Card, Form, Typography } from "antd";
import { getUiOptions, type FieldProps, type FieldTemplateProps, type ObjectFieldTemplateProps, type RegistryFieldsType, type RegistryWidgetsType, type WidgetProps } from "@rjsf/utils";
import type { FieldDefinition, RecordValues } from "../api/types";
// By path, like api/types.ts: the package entry would also bring the ajv validators of metadata into the bundle.
import { FIELD_TYPES } from "../../../metadata/src/types";
import { FieldWidget } from "../fields/FieldWidget";
import { LinesTable } from "../fields/LinesTable";
import { FieldGrid } from "../screens/FieldGrid";
import { lineErrorsOf } from "./record-form-errors";
import { ADDRESS_FIELD, LINES_FIELD, SECTIONS_OPTION, type FormSection } from "./record-form-schema";

const definitionOf = (uiSchema: unknown) => getUiOptions(uiSchema as Record<string, unknown>).definition as FieldDefinition;

/** rjsf widget → FieldWidget: read-only fields are disabled; a cleared value is null, which the API stores. */
function RecordWidget({ id, value, onChange, disabled, readonly, options }: WidgetProps) {
  return <FieldWidget id={id} definition={options.definition as FieldDefinition} value={value} disabled={disabled || readonly} onChange={(next) => onChange(next === undefined ? null : next)} />;
}

/** The widget of every field type; a type that needs a widget of its own gets its entry replaced here. */
export const RECORD_WIDGETS: RegistryWidgetsType = Object.fromEntries(FIELD_TYPES.map((type) => [type, RecordWidget]));

/** Addresses are objects, which rjsf renders as nested forms: this field keeps them one compact input. */
function AddressField({ formData, onChange, disabled, readonly, uiSchema, fieldPathId }: FieldProps) {
  return (
    <FieldWidget
      id={fieldPathId.$id}
      definition={definitionOf(uiSchema)}
      value={formData ?? null}
      disabled={disabled || readonly}
      onChange={(next) => onChange(next ?? null, fieldPathId.path)}
    />
  );
}

/** Master-detail lines as the editable table with totals; errors of a line's cell come from the error schema. */
function LinesField({ formData, onChange, disabled, readonly, uiSchema, errorSchema, fieldPathId }: FieldProps) {
  const options = getUiOptions(uiSchema);
  return (
    <LinesTable
      definition={options.definition as FieldDefinition}
      columns={options.columns as string[]}
      value={(formData as RecordValues[] | null | undefined) ?? []}
      onChange={(lines) => onChange(lines, fieldPathId.path)}
      disabled={disabled || readonly}
      errors={lineErrorsOf(errorSchema)}
    />
  );
}

export const RECORD_FIELDS: RegistryFieldsType = { [LINES_FIELD]: LinesField, [ADDRESS_FIELD]: AddressField };

/** A field with its label above and its errors below (the layout is the grid's, not rjsf's columns). */
export function RecordFieldTemplate({ id, label, required, rawErrors, children, hidden, uiSchema, fieldPathId }: FieldTemplateProps) {
  if (hidden) return <div className="rjsf-field-hidden">{children}</div>;
  // The root object: its template lays out the sections.
  if (fieldPathId.path.length === 0) return children;
  const messages = (rawErrors ?? []).filter(Boolean);
  if (getUiOptions(uiSchema).label === false) {
    // Lines: the section card carries the title; errors about the lines as a whole go under the table.
    return (
      <>
        {children}
        {messages.length > 0 && <Typography.Text type="danger">{messages.join("; ")}</Typography.Text>}
      </>
    );
  }
  return (
    <Form.Item layout="vertical" label={label} htmlFor={id} required={required} validateStatus={messages.length ? "error" : undefined} help={messages.length ? messages.join("; ") : undefined}>
      {children}
    </Form.Item>
  );
}

/** Places the root object's properties in the layout's sections: field sections on the grid, lines in their own card. */
export function RecordLayoutTemplate({ properties, uiSchema }: ObjectFieldTemplateProps) {
  const sections = getUiOptions(uiSchema)[SECTIONS_OPTION] as FormSection[] | undefined;
  const content = new Map<string, ReactNode>(properties.filter((property) => !property.hidden).map((property) => [property.name, property.content]));
  // Objects nested in a value (none today: addresses have their own field) have no layout of their own.
  if (!sections) return <>{[...content.values()]}</>;
  return (
    <>
      {sections.map((section) =>
        section.kind === "lines" ? (
          <Card key={section.name} size="small" title={section.title} style={{ marginBottom: 12 }}>
            <div data-field={section.field}>{content.get(section.field)}</div>
          </Card>
        ) : (
          <Card key={section.name} size="small" title={section.title} style={{ marginBottom: 12 }}>
            <FieldGrid placements={section.placements} renderField={(name) => content.get(name)} />
          </Card>
        ),
      )}
    </>
  );
}
