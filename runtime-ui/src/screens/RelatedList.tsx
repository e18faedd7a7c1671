// One related tab: the records of another object that point at this one, with "load more" and, when the user may
// create them, a "new" button that opens the form with the lookup to this record filled in.
import { useEffect, useState } from "react";
import { Button, Space, Table } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { api } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import type { RecordValues } from "../api/types";
import { FieldValue } from "../fields/FieldValue";
import { defaultLayout } from "../layout/default-layout";
import { screenFields } from "../layout/fields";
import { useI18n } from "../i18n/locale";
import { navigate, paths } from "../routing/router";

const PAGE_SIZE = 20;

interface RelatedListProps {
  object: string;
  id: string;
  relation: string;
  target: string;
  /** The target's lookup column that points at this record, when the relation is a lookup (not master-detail lines). */
  lookupField?: string;
  columns?: string[];
}

export function RelatedList({ object, id, relation, target, lookupField, columns }: RelatedListProps) {
  const { t, text } = useI18n();
  const { objectByName } = useMetadata();
  const describe = objectByName.get(target);
  const [records, setRecords] = useState<RecordValues[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const load = (after: string | null) => {
    setLoading(true);
    api.related(object, id, relation, { limit: PAGE_SIZE, cursor: after }).then(
      (result) => {
        setRecords((previous) => (after ? [...previous, ...result.records] : result.records));
        setCursor(result.nextCursor);
        setLoading(false);
      },
      () => setLoading(false),
    );
  };
  useEffect(() => load(null), [object, id, relation]);
  if (!describe) return null;
  const fields = screenFields(describe);
  // The lookup must be one the user may fill in on a new record, or the link would open a form it cannot complete.
  const creatable = lookupField !== undefined && describe.access.actions.includes("create") && screenFields(describe, true).get(lookupField)?.readOnly === false;
  const newRecordPath = creatable ? `${paths.create(target)}?${new URLSearchParams({ [lookupField]: id })}` : null;
  const shown = (columns?.length ? columns : defaultLayout(describe).list.columns.map((column) => column.field)).filter((name) => fields.has(name)).slice(0, 5);
  return (
    <div>
      {newRecordPath && (
        <Space style={{ marginBottom: 8 }}>
          <Button icon={<PlusOutlined />} onClick={() => navigate(newRecordPath)}>
            {t("newRelated", { label: text(describe.label) })}
          </Button>
        </Space>
      )}
      <Table<RecordValues>
        size="small"
        loading={loading}
        rowKey={(record) => String(record.id)}
        dataSource={records}
        pagination={false}
        scroll={{ x: "max-content" }}
        onRow={(record) => ({ onClick: () => navigate(paths.record(target, String(record.id))), style: { cursor: "pointer" } })}
        columns={shown.map((name) => ({
          key: name,
          title: text(fields.get(name)!.definition.label, name),
          render: (_: unknown, record: RecordValues) => <FieldValue definition={fields.get(name)!.definition} value={record[name]} />,
        }))}
      />
      {cursor && (
        <Button style={{ marginTop: 8 }} onClick={() => load(cursor)}>
          {t("loadMore")}
        </Button>
      )}
    </div>
  );
}
