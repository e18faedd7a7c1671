// 报表分析: one page per report the user may run, with period / department / owner controls, a chart and the figures.
import { useEffect, useMemo, useState } from "react";
import { Card, Col, DatePicker, Empty, Row, Space, Statistic, Switch, Table, Tabs, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { LookupPicker } from "../../fields/LookupPicker";
import { useI18n, type Locale } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { pageSpinner } from "../../App";
import { ScreenError } from "../ScreenError";
import { runReport, useReports } from "./report-api";
import { formatCell, reportFigures, type FigureTable } from "./report-figures";
import { REPORT_TEXT, type ReportTextKey } from "./report-messages";
import type { ReportAnswer, ReportParameters, ReportSummary } from "./report-types";
import { EChart } from "./EChart";

const useReportText = () => {
  const { locale } = useI18n();
  return (key: ReportTextKey) => REPORT_TEXT[key][locale];
};

type Period = [Dayjs, Dayjs] | null;

function periodPresets(rt: (key: ReportTextKey) => string): { label: string; value: [Dayjs, Dayjs] }[] {
  const today = dayjs();
  const quarterStart = today.month(Math.floor(today.month() / 3) * 3).startOf("month");
  return [
    { label: rt("thisMonth"), value: [today.startOf("month"), today.endOf("month")] },
    { label: rt("lastMonth"), value: [today.subtract(1, "month").startOf("month"), today.subtract(1, "month").endOf("month")] },
    { label: rt("thisQuarter"), value: [quarterStart, quarterStart.add(2, "month").endOf("month")] },
    { label: rt("thisYear"), value: [today.startOf("year"), today.endOf("year")] },
  ];
}

function FiguresTable({ table, locale }: { table: FigureTable; locale: Locale }) {
  const columns = table.columns.map((column) => ({
    key: column.key,
    dataIndex: column.key,
    title: column.title,
    align: column.format === "text" ? ("left" as const) : ("right" as const),
    render: (value: unknown) => formatCell(value, column.format, locale),
  }));
  return (
    <Table<Record<string, unknown>>
      className={`report-table report-table-${table.key}`}
      size="small"
      rowKey={(row) => String(row.key)}
      columns={columns}
      dataSource={table.rows}
      pagination={false}
      scroll={{ x: "max-content" }}
      summary={() => (
        <Table.Summary.Row>
          {table.columns.map((column, index) => (
            <Table.Summary.Cell key={column.key} index={index} align={column.format === "text" ? "left" : "right"}>
              <Typography.Text strong>{formatCell(table.totals[column.key], column.format, locale)}</Typography.Text>
            </Table.Summary.Cell>
          ))}
        </Table.Summary.Row>
      )}
    />
  );
}

function ReportFiguresView({ answer }: { answer: ReportAnswer }) {
  const { locale } = useI18n();
  const rt = useReportText();
  const figures = useMemo(() => reportFigures(answer, locale), [answer, locale]);
  if (!figures) return <Empty description={rt("unknownReport")} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
      <Row gutter={[16, 16]}>
        {figures.highlights.map((highlight) => (
          <Col key={highlight.title} xs={12} md={6}>
            <Card size="small">
              <Statistic title={highlight.title} value={formatCell(highlight.value, highlight.format, locale)} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small">
        <EChart option={figures.chart} />
      </Card>
      {figures.tables.map((table) => (
        <Card key={table.key} size="small" title={table.title}>
          <FiguresTable table={table} locale={locale} />
        </Card>
      ))}
    </Space>
  );
}

function ReportPage({ report }: { report: ReportSummary }) {
  const { text } = useI18n();
  const rt = useReportText();
  const [period, setPeriod] = useState<Period>(null);
  const [department, setDepartment] = useState<string | null>(null);
  const [includeSub, setIncludeSub] = useState(true);
  const [owner, setOwner] = useState<string | null>(null);
  const [answer, setAnswer] = useState<ReportAnswer | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const params = useMemo<ReportParameters>(
    () => ({
      from: period?.[0].format("YYYY-MM-DD"),
      to: period?.[1].format("YYYY-MM-DD"),
      department_id: department ?? undefined,
      include_subdepartments: department ? includeSub : undefined,
      owner_id: owner ?? undefined,
    }),
    [period, department, includeSub, owner],
  );
  const key = JSON.stringify(params);
  useEffect(() => {
    let cancelled = false;
    setError(null);
    runReport(report.name, params).then(
      (loaded) => !cancelled && setAnswer(loaded),
      (caught: Error) => !cancelled && setError(caught),
    );
    return () => {
      cancelled = true;
    };
    // The serialised parameters stand for the object.
  }, [report.name, key]);
  return (
    <div className="report-page" data-report={report.name}>
      <Typography.Paragraph type="secondary">{text(report.description)}</Typography.Paragraph>
      <div className="screen-toolbar report-parameters">
        <DatePicker.RangePicker
          aria-label={rt("period")}
          placeholder={[rt("allTime"), rt("allTime")]}
          allowEmpty={[true, true]}
          presets={periodPresets(rt)}
          value={period}
          onChange={(next) => setPeriod(next && next[0] && next[1] ? [next[0], next[1]] : null)}
        />
        <Space size={4} className="report-department">
          <Typography.Text type="secondary">{rt("department")}</Typography.Text>
          <div style={{ minWidth: 180 }}>
            <LookupPicker target="department" value={department} onChange={(next) => setDepartment((next as string | null) ?? null)} />
          </div>
        </Space>
        {department && (
          <Space size={4}>
            <Switch size="small" checked={includeSub} onChange={setIncludeSub} aria-label={rt("includeSub")} />
            <Typography.Text>{rt("includeSub")}</Typography.Text>
          </Space>
        )}
        <Space size={4} className="report-owner">
          <Typography.Text type="secondary">{rt("owner")}</Typography.Text>
          <div style={{ minWidth: 160 }}>
            <LookupPicker target="employee" value={owner} onChange={(next) => setOwner((next as string | null) ?? null)} />
          </div>
        </Space>
      </div>
      {error ? <ScreenError error={error} /> : answer ? <ReportFiguresView answer={answer} /> : pageSpinner}
    </div>
  );
}

export default function ReportsScreen({ report }: { report: string | null }) {
  const { text } = useI18n();
  const rt = useReportText();
  const reports = useReports();
  const current = reports?.find((candidate) => candidate.name === report) ?? null;
  useEffect(() => {
    if (reports && reports.length > 0 && !current) navigate(paths.reports(reports[0].name), { replace: true });
  }, [reports, current]);
  if (reports === null) return pageSpinner;
  if (reports.length === 0) return <Empty description={rt("noReports")} />;
  return (
    <div>
      <div className="screen-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }} className="grow">
          {rt("reports")}
        </Typography.Title>
      </div>
      <Tabs
        activeKey={current?.name}
        onChange={(name) => navigate(paths.reports(name))}
        items={reports.map((candidate) => ({ key: candidate.name, label: text(candidate.label, candidate.name) }))}
      />
      {current && <ReportPage key={current.name} report={current} />}
    </div>
  );
}
