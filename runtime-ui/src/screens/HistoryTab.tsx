// The history tab: who changed which field from what to what, newest first.
import { useEffect, useState } from "react";
import { Empty, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import { api } from "../api/client";
import type { HistoryEntry } from "../api/types";
import type { ScreenField } from "../layout/fields";
import { useI18n } from "../i18n/locale";
import { FieldValue } from "../fields/FieldValue";

export function HistoryTab({ object, id, fields, refreshKey }: { object: string; id: string; fields: ReadonlyMap<string, ScreenField>; refreshKey: unknown }) {
  const { t, text } = useI18n();
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  useEffect(() => {
    api.history(object, id).then((result) => setHistory([...result.history].reverse()), () => setHistory([]));
  }, [object, id, refreshKey]);
  if (history === null) return null;
  if (history.length === 0) return <Empty description={t("noRecords")} />;
  return (
    <Timeline
      items={history.map((entry) => ({
        key: entry.id,
        content: (
          <div>
            <Typography.Text type="secondary">
              {t("changedBy", { who: entry.username ?? "—", when: dayjs(entry.at).format("YYYY-MM-DD HH:mm") })} · {entry.action}
            </Typography.Text>
            {entry.changes
              .filter((change) => fields.has(change.field))
              .map((change) => {
                const definition = fields.get(change.field)!.definition;
                return (
                  <div key={change.field} style={{ overflowWrap: "anywhere" }}>
                    <Typography.Text strong>{text(definition.label, change.field)}</Typography.Text>: <FieldValue definition={definition} value={change.before} /> →{" "}
                    <FieldValue definition={definition} value={change.after} />
                  </div>
                );
              })}
          </div>
        ),
      }))}
    />
  );
}
