// The advanced filter builder's drawer: and / or groups of field → operator → value conditions. Its own chunk,
// loaded when the list's filter button is first pointed at or pressed (or once the list is idle): its value widgets
// (date pickers, lookup pickers, number inputs) are not needed to show a list.
import { useMemo } from "react";
import { Alert, Button, DatePicker, Drawer, Empty, Input, InputNumber, Radio, Select, Space } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { Dayjs } from "dayjs";
import { useMetadata } from "../api/metadata-store";
import { optionsOf } from "../fields/options";
import { LookupPicker } from "../fields/LookupPicker";
import { useI18n } from "../i18n/locale";
import { emptyGroup, newCondition, OPERATORS, valueShape, type FilterCondition, type FilterGroup, type FilterNode, type OperatorId } from "./filter-model";
import { toLiteral, toPickerValue } from "./filter-values";
import { OPERATOR_LABELS } from "./filter-messages";
import type { FilterField } from "./filter-fields";
import { useFilterText } from "./filter-text";
import "./filters.css";

interface ValueProps {
  field: FilterField;
  operator: OperatorId;
  value: unknown;
  onChange(value: unknown): void;
}

function SingleValue({ field, value, onChange, multiple }: Omit<ValueProps, "operator"> & { multiple?: boolean }) {
  const { locale } = useI18n();
  const { optionSets } = useMetadata();
  const ft = useFilterText();
  const definition = field.screen.definition;
  const label = ft("value");
  switch (field.kind) {
    case "number":
      return <InputNumber<number> aria-label={label} style={{ width: "100%" }} value={typeof value === "number" ? value : null} onChange={(next) => onChange(toLiteral("number", next))} />;
    case "date":
    case "datetime":
      return (
        <DatePicker
          aria-label={label}
          style={{ width: "100%" }}
          showTime={field.kind === "datetime" ? { format: "HH:mm" } : undefined}
          value={toPickerValue(value)}
          onChange={(next: Dayjs | null) => onChange(toLiteral(field.kind, next))}
        />
      );
    case "option":
    case "options":
      return (
        <Select
          aria-label={label}
          style={{ width: "100%" }}
          mode={multiple ? "multiple" : undefined}
          allowClear
          options={optionsOf(definition, optionSets).map((option) => ({ value: option.value, label: option.label[locale] }))}
          value={(value as string | string[] | undefined) ?? (multiple ? [] : undefined)}
          onChange={(next) => onChange(next ?? undefined)}
        />
      );
    case "reference":
    case "references":
      return (
        <LookupPicker
          target={definition.target ?? definition.type}
          multiple={multiple}
          value={(value as string | string[] | undefined) ?? null}
          onChange={(next) => onChange(next ?? undefined)}
        />
      );
    default:
      return <Input aria-label={label} value={typeof value === "string" ? value : ""} onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)} />;
  }
}

function ValueInput(props: ValueProps) {
  const ft = useFilterText();
  const shape = valueShape(props.operator);
  if (shape === "none") return null;
  if (shape === "list") return <SingleValue {...props} multiple />;
  if (shape === "range") {
    const [low, high] = Array.isArray(props.value) ? (props.value as unknown[]) : [undefined, undefined];
    return (
      <Space.Compact style={{ width: "100%" }}>
        <span className="filter-range-label">{ft("from")}</span>
        <SingleValue field={props.field} value={low} onChange={(next) => props.onChange([next, high])} />
        <span className="filter-range-label">{ft("to")}</span>
        <SingleValue field={props.field} value={high} onChange={(next) => props.onChange([low, next])} />
      </Space.Compact>
    );
  }
  return <SingleValue {...props} />;
}

function ConditionRow({ condition, fields, onChange, onRemove }: { condition: FilterCondition; fields: Map<string, FilterField>; onChange(next: FilterCondition): void; onRemove(): void }) {
  const { text, locale } = useI18n();
  const ft = useFilterText();
  const field = fields.get(condition.field);
  const fieldOptions = useMemo(() => [...fields.values()].map((candidate) => ({ value: candidate.name, label: text(candidate.screen.definition.label, candidate.name) })), [fields, text]);
  return (
    <div className="filter-condition" data-filter-field={condition.field}>
      <Select
        aria-label={ft("field")}
        showSearch={{ optionFilterProp: "label" }}
        className="filter-field"
        options={fieldOptions}
        value={field ? condition.field : undefined}
        onChange={(name: string) => onChange(newCondition(name, fields.get(name)!.kind))}
      />
      <Select
        aria-label={ft("operator")}
        className="filter-operator"
        options={(field ? OPERATORS[field.kind] : []).map((operator) => ({ value: operator, label: OPERATOR_LABELS[operator][locale] }))}
        value={condition.operator}
        onChange={(operator: OperatorId) => onChange({ type: "condition", field: condition.field, operator, ...(valueShape(operator) === valueShape(condition.operator) ? { value: condition.value } : {}) })}
      />
      <div className="filter-value">{field && <ValueInput field={field} operator={condition.operator} value={condition.value} onChange={(value) => onChange({ ...condition, value })} />}</div>
      <Button type="text" icon={<DeleteOutlined />} aria-label={ft("removeCondition")} title={ft("removeCondition")} onClick={onRemove} />
    </div>
  );
}

function GroupEditor({ group, fields, nested, onChange, onRemove }: { group: FilterGroup; fields: Map<string, FilterField>; nested: boolean; onChange(next: FilterGroup): void; onRemove?(): void }) {
  const ft = useFilterText();
  const first = fields.values().next().value as FilterField | undefined;
  const replace = (index: number, next: FilterNode | null) =>
    onChange({ ...group, items: next === null ? group.items.filter((_, position) => position !== index) : group.items.map((item, position) => (position === index ? next : item)) });
  return (
    <div className={nested ? "filter-group filter-group-nested" : "filter-group"}>
      <div className="filter-group-head">
        <Radio.Group
          size="small"
          optionType="button"
          value={group.junction}
          onChange={(event) => onChange({ ...group, junction: event.target.value as "and" | "or" })}
          options={[
            { value: "and", label: ft("matchAll") },
            { value: "or", label: ft("matchAny") },
          ]}
        />
        {onRemove && <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={ft("removeGroup")} title={ft("removeGroup")} onClick={onRemove} />}
      </div>
      {group.items.map((item, index) =>
        item.type === "condition" ? (
          <ConditionRow key={index} condition={item} fields={fields} onChange={(next) => replace(index, next)} onRemove={() => replace(index, null)} />
        ) : (
          <GroupEditor key={index} group={item} fields={fields} nested onChange={(next) => replace(index, next)} onRemove={() => replace(index, null)} />
        ),
      )}
      <Space>
        <Button size="small" icon={<PlusOutlined />} disabled={!first} onClick={() => onChange({ ...group, items: [...group.items, newCondition(first!.name, first!.kind)] })}>
          {ft("addCondition")}
        </Button>
        {!nested && (
          <Button size="small" icon={<PlusOutlined />} disabled={!first} onClick={() => onChange({ ...group, items: [...group.items, { ...emptyGroup("or"), items: [newCondition(first!.name, first!.kind)] }] })}>
            {ft("addGroup")}
          </Button>
        )}
      </Space>
    </div>
  );
}

export interface FilterDrawerProps {
  open: boolean;
  fields: Map<string, FilterField>;
  /** The applied filter; null when the applied filter cannot be shown in the builder. */
  value: FilterGroup | null;
  /** The filter being edited: the applied one when the drawer opened, changed here until 应用. */
  draft: FilterGroup;
  onDraftChange(next: FilterGroup): void;
  onApply(next: FilterGroup): void;
  onClose(): void;
}

export default function FilterDrawer({ open, fields, value, draft, onDraftChange, onApply, onClose }: FilterDrawerProps) {
  const ft = useFilterText();
  return (
    <Drawer
      title={ft("advancedFilter")}
      open={open}
      onClose={onClose}
      size={640}
      className="filter-builder"
      footer={
        <Space style={{ float: "right" }}>
          <Button onClick={() => onDraftChange(emptyGroup())}>{ft("clear")}</Button>
          <Button
            type="primary"
            onClick={() => {
              onApply(draft);
              onClose();
            }}
          >
            {ft("apply")}
          </Button>
        </Space>
      }
    >
      <FilterEditor fields={fields} value={value} draft={draft} onDraftChange={onDraftChange} />
    </Drawer>
  );
}

/** The drawer's body: the draft's groups and conditions, edited in place. */
export function FilterEditor({ fields, value, draft, onDraftChange }: Pick<FilterDrawerProps, "fields" | "value" | "draft" | "onDraftChange">) {
  const ft = useFilterText();
  return (
    <>
      {value === null && <Alert type="info" showIcon title={ft("unsupported")} style={{ marginBottom: 12 }} />}
      {draft.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={ft("noConditions")} />}
      <GroupEditor group={draft} fields={fields} nested={false} onChange={onDraftChange} />
    </>
  );
}
