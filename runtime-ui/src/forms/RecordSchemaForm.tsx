// A record form rendered by @rjsf with the antd theme from the schema and uiSchema built at run time from metadata.
import type { ReactNode } from "react";
import { Form } from "@rjsf/antd";
import type { ErrorSchema, ErrorTransformer } from "@rjsf/utils";
import type { RecordValues } from "../api/types";
import { RECORD_FIELDS, RECORD_WIDGETS, RecordFieldTemplate, RecordLayoutTemplate } from "./record-form-parts";
import { NO_SCHEMA_DEFAULTS, type RecordFormSchema } from "./record-form-schema";
import { recordValidator } from "./record-validator";

const TEMPLATES = { FieldTemplate: RecordFieldTemplate, ObjectFieldTemplate: RecordLayoutTemplate };

interface RecordSchemaFormProps {
  form: RecordFormSchema;
  values: RecordValues;
  onChange(values: RecordValues): void;
  /** Called with the values once they pass the schema. */
  onSubmit(values: RecordValues): void;
  onInvalid(): void;
  transformErrors: ErrorTransformer;
  /** Server errors shown on their fields. */
  extraErrors: ErrorSchema;
  disabled: boolean;
  /** The save button (a submit button), or nothing. */
  children?: ReactNode;
}

export default function RecordSchemaForm(props: RecordSchemaFormProps) {
  return (
    <Form
      schema={props.form.schema}
      uiSchema={props.form.uiSchema}
      validator={recordValidator}
      formData={props.values}
      onChange={(event) => props.onChange(event.formData as RecordValues)}
      onSubmit={(event) => props.onSubmit(event.formData as RecordValues)}
      onError={props.onInvalid}
      transformErrors={props.transformErrors}
      extraErrors={props.extraErrors}
      disabled={props.disabled}
      widgets={RECORD_WIDGETS}
      fields={RECORD_FIELDS}
      templates={TEMPLATES}
      experimental_defaultFormStateBehavior={NO_SCHEMA_DEFAULTS}
      noHtml5Validate
      showErrorList={false}
      focusOnFirstError
    >
      {props.children ?? <></>}
    </Form>
  );
}
