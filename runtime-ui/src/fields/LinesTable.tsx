// Master-detail lines as an editable table: one row per line, widgets per column, totals of the numeric columns.
import { useEffect, useState } from "react";
import { Button, Table, Typography } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { api } from "../api/client";
import type { FieldDefinition, ObjectDescribe, RecordValues } from "../api/types";
import { screenFields } from "../layout/fields";
import { useI18n } from "../i18n/locale";
import { FieldWidget } from "./FieldWidget";
import { FieldValue } from "./FieldValue";
import { formatNumber, sumColumn } from "./format";

const NUMERIC = new Set(["integer", "decimal", "amount", "percent"]);
/** Percentages do not add up; every other number column gets a total. */
const SUMMED = new Set(["integer", "decimal", "amount"]);

interface LinesTableProps {
  definition: FieldDefinition;
  columns?: string[];
  value?: RecordValues[];
  onChange?(lines: RecordValues[]): void;
  disabled?: boolean;
  /** Server errors by "index/field". */
  errors: ReadonlyMap<string, string>;
}

export function LinesTable({ definition, columns, value, onChange, disabled, errors }: LinesTableProps) {
  const { t, text, locale } = useI18n();
  const [child, setChild] = useState<ObjectDescribe | null>(null);
  const lines = value ?? [];
  useEffect(() => {
    if (definition.target) api.describe(definition.target).then(setChild, () => setChild(null));
  }, [definition.target]);
  if (!child) return null;
  const fields = screenFields(child, !disabled);
  const shown = (columns?.length ? columns : child.fields.map((field) => field.name)).filter((name) => fields.has(name));
  const update = (index: number, field: string, next: unknown) => onChange?.(lines.map((line, position) => (position === index ? { ...line, [field]: next } : line)));

  const tableColumns = [
    { key: "__no", title: t("lineNo"), width: 56, render: (_: unknown, __: RecordValues, index: number) => index + 1 },
    ...shown.map((name) => {
      const field = fields.get(name)!;
      return {
        key: name,
        title: text(field.definition.label, name),
        render: (_: unknown, line: RecordValues, index: number) => {
          const error = errors.get(`${index}/${name}`);
          return (
            <div>
              {field.readOnly ? (
                <FieldValue definition={field.definition} value={line[name]} />
              ) : (
                <FieldWidget definition={field.definition} value={line[name]} onChange={(next) => update(index, name, next)} id={`${definition.name}-${index}-${name}`} />
              )}
              {error && <Typography.Text type="danger">{error}</Typography.Text>}
            </div>
          );
        },
      };
    }),
    ...(disabled
      ? []
      : [
          {
            key: "__remove",
            width: 56,
            render: (_: unknown, __: RecordValues, index: number) => (
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={t("removeLine")} onClick={() => onChange?.(lines.filter((_, position) => position !== index))} />
            ),
          },
        ]),
  ];

  const summed = shown.filter((name) => SUMMED.has(fields.get(name)!.definition.type));
  return (
    <div>
      <Table<RecordValues>
        size="small"
        rowKey={(line) => String(line.id ?? lines.indexOf(line))}
        columns={tableColumns}
        dataSource={lines}
        pagination={false}
        scroll={{ x: "max-content" }}
        summary={() =>
          summed.length > 0 && lines.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t("total")}</Table.Summary.Cell>
              {shown.map((name, position) => (
                <Table.Summary.Cell key={name} index={position + 1} className={summed.includes(name) ? "lines-total" : undefined}>
                  {summed.includes(name) && NUMERIC.has(fields.get(name)!.definition.type) ? formatNumber(sumColumn(lines, name), fields.get(name)!.definition, locale) : null}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          ) : null
        }
      />
      {!disabled && (
        <Button icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => onChange?.([...lines, {}])}>
          {t("addLine")}
        </Button>
      )}
    </div>
  );
}
