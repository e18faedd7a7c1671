// 客户全貌 (customer 360): every related list the user may see, with its total and newest records, each linking
// to the record; lists without records are folded into one line at the end.
import { useEffect, useState } from "react";
import { Badge, Card, Col, Empty, List, Row, Typography } from "antd";
import { services, type RecordOverview, type RelatedSummary } from "../../api/record-services";
import { useMetadata } from "../../api/metadata-store";
import type { RecordValues } from "../../api/types";
import { FieldValue } from "../../fields/FieldValue";
import { layoutOf } from "../../layout/default-layout";
import { displayFieldOf, screenFields } from "../../layout/fields";
import { useI18n } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { pageSpinner } from "../../App";
import { ScreenError } from "../ScreenError";
import "./overview.css";

/** Besides its name, a related record shows up to this many of its list columns. */
const SUMMARY_COLUMNS = 2;

function RelatedCard({ summary, parentObject, parentId }: { summary: RelatedSummary; parentObject: string; parentId: string }) {
  const { t, text } = useI18n();
  const { objectByName, objects } = useMetadata();
  const describe = objectByName.get(summary.object);
  if (!describe) return null;
  const fields = screenFields(describe);
  const nameField = displayFieldOf(describe);
  const columns = layoutOf(describe, objects)
    .list.columns.map((column) => column.field)
    // The link back to this record (the customer column of a customer's contacts) would say nothing new.
    .filter((name) => name !== nameField && fields.has(name) && fields.get(name)!.definition.type !== "master_detail" && fields.get(name)!.definition.target !== parentObject)
    .slice(0, SUMMARY_COLUMNS);
  // Lines (master-detail children) have no screen of their own: they open their master.
  const open = (record: RecordValues) =>
    summary.kind === "children" ? navigate(paths.record(parentObject, parentId)) : navigate(paths.record(summary.object, String(record.id)));
  return (
    <Card
      size="small"
      className="overview-card"
      data-relation={summary.relation}
      title={
        <span>
          {text(summary.label, summary.relation)} <Badge count={summary.total} showZero overflowCount={9999} color={summary.total ? "#1677ff" : "#bfbfbf"} />
        </span>
      }
    >
      <List
        size="small"
        dataSource={summary.latest}
        renderItem={(record) => (
          <List.Item key={String(record.id)} onClick={() => open(record)} className="overview-item">
            <div style={{ minWidth: 0 }}>
              <Typography.Link>{String(record[nameField] ?? record.id)}</Typography.Link>
              <div className="overview-item-columns">
                {columns.map((name) => (
                  <span key={name}>
                    <FieldValue definition={fields.get(name)!.definition} value={record[name]} />
                  </span>
                ))}
              </div>
            </div>
          </List.Item>
        )}
      />
      {summary.total > summary.latest.length && <Typography.Text type="secondary">{t("overviewTotal", { count: summary.total })}</Typography.Text>}
    </Card>
  );
}

export function RecordOverviewTab({ object, id }: { object: string; id: string }) {
  const { text } = useI18n();
  const [overview, setOverview] = useState<RecordOverview | Error | null>(null);
  useEffect(() => {
    let cancelled = false;
    services.overview(object, id).then(
      (loaded) => !cancelled && setOverview(loaded),
      (error: Error) => !cancelled && setOverview(error),
    );
    return () => {
      cancelled = true;
    };
  }, [object, id]);
  if (overview === null) return pageSpinner;
  if (overview instanceof Error) return <ScreenError error={overview} />;
  const filled = overview.related.filter((summary) => summary.total > 0);
  const empty = overview.related.filter((summary) => summary.total === 0);
  if (filled.length === 0 && empty.length === 0) return <Empty />;
  return (
    <div>
      <Row gutter={[12, 12]}>
        {filled.map((summary) => (
          <Col key={summary.relation} xs={24} md={12} xl={8}>
            <RelatedCard summary={summary} parentObject={object} parentId={id} />
          </Col>
        ))}
      </Row>
      {empty.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {empty.map((summary) => `${text(summary.label, summary.relation)} 0`).join(" · ")}
        </Typography.Paragraph>
      )}
    </div>
  );
}
