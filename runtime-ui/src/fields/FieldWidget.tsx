// The input widget of one field, chosen by field type; antd's Form.Item passes value / onChange.
import { DatePicker, Input, InputNumber, Select, Space, Switch } from "antd";
import type { FieldDefinition } from "../api/types";
import { useMetadata } from "../api/metadata-store";
import { useI18n } from "../i18n/locale";
import type { MessageKey } from "../i18n/messages";
import { MULTI_VALUE_FIELDS } from "../layout/fields";
import { optionsOf } from "./options";
import { LookupPicker } from "./LookupPicker";
import { AttachmentWidget } from "./AttachmentWidget";
import { addressWith, dateValue, datetimeValue, formatAmountInput, parseAmountInput, pickerValue, textValue } from "./widget-values";

export interface WidgetProps {
  definition: FieldDefinition;
  value?: unknown;
  onChange?(value: unknown): void;
  disabled?: boolean;
  id?: string;
}

const ADDRESS_PARTS = ["province", "city", "district", "street"] as const;
const ADDRESS_LABELS: Record<(typeof ADDRESS_PARTS)[number], MessageKey> = {
  province: "addressProvince",
  city: "addressCity",
  district: "addressDistrict",
  street: "addressStreet",
};

function AddressInput({ value, onChange, disabled, id }: WidgetProps) {
  const { t } = useI18n();
  const address = (value ?? {}) as Record<string, string>;
  const change = (part: string, next: string) => onChange?.(addressWith(address, part, next));
  return (
    <Space.Compact style={{ width: "100%" }} id={id}>
      {ADDRESS_PARTS.map((part) => (
        <Input
          key={part}
          disabled={disabled}
          placeholder={t(ADDRESS_LABELS[part])}
          aria-label={t(ADDRESS_LABELS[part])}
          value={address[part] ?? ""}
          onChange={(event) => change(part, event.target.value)}
          style={{ width: part === "street" ? "40%" : "20%" }}
        />
      ))}
    </Space.Compact>
  );
}

export function FieldWidget(props: WidgetProps) {
  const { definition, value, onChange, disabled, id } = props;
  const { locale } = useI18n();
  const { optionSets } = useMetadata();
  const common = { id, disabled, style: { width: "100%" } };
  switch (definition.type) {
    case "textarea":
      return <Input.TextArea {...common} rows={3} maxLength={definition.maxLength} value={(value as string) ?? ""} onChange={(event) => onChange?.(textValue(event.target.value))} />;
    case "integer":
    case "decimal":
    case "amount":
    case "percent":
      return (
        <InputNumber<number>
          {...common}
          precision={definition.type === "integer" ? 0 : (definition.scale ?? 2)}
          min={definition.min}
          max={definition.max}
          prefix={definition.type === "amount" ? "¥" : undefined}
          suffix={definition.type === "percent" ? "%" : undefined}
          formatter={definition.type === "amount" ? formatAmountInput : undefined}
          parser={definition.type === "amount" ? parseAmountInput : undefined}
          value={typeof value === "number" ? value : null}
          onChange={(next) => onChange?.(next ?? null)}
        />
      );
    case "date":
      return <DatePicker {...common} value={pickerValue(value)} onChange={(next) => onChange?.(dateValue(next))} />;
    case "datetime":
      return <DatePicker {...common} showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" value={pickerValue(value)} onChange={(next) => onChange?.(datetimeValue(next))} />;
    case "boolean":
      return <Switch id={id} disabled={disabled} checked={value === true} onChange={(checked) => onChange?.(checked)} />;
    case "picklist":
    case "multi_picklist":
      return (
        <Select
          {...common}
          allowClear
          mode={definition.type === "multi_picklist" ? "multiple" : undefined}
          options={optionsOf(definition, optionSets).map((option) => ({ value: option.value, label: option.label[locale] }))}
          value={definition.type === "multi_picklist" ? ((value as string[]) ?? []) : ((value as string) ?? null)}
          onChange={(next) => onChange?.(next ?? null)}
        />
      );
    case "lookup":
    case "employee":
    case "department":
      return (
        <LookupPicker
          id={id}
          target={definition.target ?? definition.type}
          multiple={MULTI_VALUE_FIELDS.has(definition.name)}
          disabled={disabled}
          value={value as string | string[] | null}
          onChange={(next) => onChange?.(next)}
        />
      );
    case "address":
      return <AddressInput {...props} />;
    case "attachment":
      return <AttachmentWidget {...props} />;
    case "auto_number":
    case "formula":
      return <Input {...common} disabled value={value === null || value === undefined ? "" : String(value)} />;
    case "master_detail":
      // Lines are edited by the lines section (LinesTable), never as a single widget.
      return null;
    default:
      return <Input {...common} maxLength={definition.maxLength} value={(value as string) ?? ""} onChange={(event) => onChange?.(textValue(event.target.value))} />;
  }
}
