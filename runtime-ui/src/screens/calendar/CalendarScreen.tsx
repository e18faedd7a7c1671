// 我的日程: my activities by month (antd Calendar) or by week (seven day columns, stacked on phones); the chosen
// day's activities are listed below the month; clicking an activity opens it.
import { useEffect, useMemo, useState } from "react";
import { Alert, Badge, Button, Calendar, Empty, Grid, Segmented, Space, Tag, Typography } from "antd";
import { LeftOutlined, PlusOutlined, RightOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { services, type CalendarAnswer } from "../../api/record-services";
import { useMetadata } from "../../api/metadata-store";
import type { RecordValues } from "../../api/types";
import { optionsOf } from "../../fields/options";
import { useI18n } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { ScreenError } from "../ScreenError";
import "./calendar.css";
import { activitiesByDay, daysBetween, DAY_FORMAT, visibleRange, type CalendarMode } from "./calendar-days";

/** A month cell lists this many activities, then "+n". */
const CELL_ITEMS = 3;

function useStatusLabel() {
  const { locale } = useI18n();
  const { objectByName, optionSets } = useMetadata();
  const field = objectByName.get("activity")?.fields.find((candidate) => candidate.name === "status");
  const options = field ? optionsOf(field, optionSets) : [];
  return (value: unknown) => {
    const option = options.find((candidate) => candidate.value === value);
    return option ? { label: option.label[locale], color: option.color && option.color !== "default" ? option.color : undefined } : null;
  };
}

function ActivityItem({ activity, compact }: { activity: RecordValues; compact?: boolean }) {
  const statusLabel = useStatusLabel();
  const status = statusLabel(activity.status);
  const time = activity.start_at ? dayjs(String(activity.start_at)).format("HH:mm") : "";
  return (
    <div
      className={compact ? "calendar-item compact" : "calendar-item"}
      data-activity={String(activity.id)}
      role="link"
      tabIndex={0}
      onClick={(event) => {
        event.stopPropagation();
        navigate(paths.record("activity", String(activity.id)));
      }}
      onKeyDown={(event) => event.key === "Enter" && navigate(paths.record("activity", String(activity.id)))}
    >
      <Typography.Text type="secondary">{time}</Typography.Text> <span className="calendar-item-subject">{String(activity.subject ?? "")}</span>
      {!compact && status && (
        <Tag color={status.color} style={{ marginInlineStart: 8 }}>
          {status.label}
        </Tag>
      )}
    </div>
  );
}

export default function CalendarScreen() {
  const { t, locale } = useI18n();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [mode, setMode] = useState<CalendarMode>("month");
  const [anchor, setAnchor] = useState<Dayjs>(() => dayjs().startOf("day"));
  const range = useMemo(() => visibleRange(mode, anchor), [mode, anchor]);
  const [answer, setAnswer] = useState<CalendarAnswer | Error | null>(null);

  useEffect(() => {
    let cancelled = false;
    services.calendar(range.from, range.to).then(
      (loaded) => !cancelled && setAnswer(loaded),
      (error: Error) => !cancelled && setAnswer(error),
    );
    return () => {
      cancelled = true;
    };
  }, [range.from, range.to]);

  const byDay = useMemo(() => (answer && !(answer instanceof Error) ? activitiesByDay(answer.activities, range) : new Map<string, RecordValues[]>()), [answer, range]);
  if (answer instanceof Error) return <ScreenError error={answer} />;
  const step = (direction: 1 | -1) => setAnchor((current) => current.add(direction, mode));
  const selectedDay = anchor.format(DAY_FORMAT);
  const dayList = (day: string) => {
    const activities = byDay.get(day) ?? [];
    return activities.length ? activities.map((activity) => <ActivityItem key={String(activity.id)} activity={activity} />) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("calendarNoActivities")} />;
  };

  return (
    <div className="calendar-screen">
      <div className="screen-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }} className="grow">
          {t("myCalendar")}
        </Typography.Title>
        <Space wrap>
          <Button icon={<LeftOutlined />} aria-label={t("calendarPrevious")} onClick={() => step(-1)} />
          <Button onClick={() => setAnchor(dayjs().startOf("day"))}>{t("calendarToday")}</Button>
          <Button icon={<RightOutlined />} aria-label={t("calendarNext")} onClick={() => step(1)} />
          <Segmented<CalendarMode>
            value={mode}
            onChange={setMode}
            options={[
              { value: "month", label: t("calendarMonth") },
              { value: "week", label: t("calendarWeek") },
            ]}
          />
          <Button icon={<PlusOutlined />} onClick={() => navigate(paths.create("activity"))}>
            {t("calendarNewActivity")}
          </Button>
        </Space>
      </div>
      {answer?.truncated && <Alert type="warning" showIcon title={t("calendarTruncated")} style={{ marginBottom: 12 }} />}
      {mode === "month" ? (
        <>
          <Calendar
            className="month-calendar"
            fullscreen={!phone}
            value={anchor}
            headerRender={() => <Typography.Title level={5}>{anchor.format(locale === "en" ? "MMMM YYYY" : "YYYY年M月")}</Typography.Title>}
            onSelect={(day) => setAnchor(day.startOf("day"))}
            fullCellRender={
              phone
                ? (day, info) => {
                    if (info.type !== "date") return info.originNode;
                    const count = byDay.get(day.format(DAY_FORMAT))?.length ?? 0;
                    return (
                      <div className="ant-picker-cell-inner calendar-phone-cell">
                        {day.date()}
                        {count > 0 && <Badge status="processing" className="calendar-dot" />}
                      </div>
                    );
                  }
                : undefined
            }
            cellRender={
              phone
                ? undefined
                : (day, info) => {
                    if (info.type !== "date") return info.originNode;
                    const activities = byDay.get(day.format(DAY_FORMAT)) ?? [];
                    return (
                      <div data-day={day.format(DAY_FORMAT)}>
                        {activities.slice(0, CELL_ITEMS).map((activity) => (
                          <ActivityItem key={String(activity.id)} activity={activity} compact />
                        ))}
                        {activities.length > CELL_ITEMS && <Typography.Text type="secondary">+{activities.length - CELL_ITEMS}</Typography.Text>}
                      </div>
                    );
                  }
            }
          />
          <div className="calendar-day-list" data-day-list={selectedDay}>
            <Typography.Title level={5}>{anchor.format("YYYY-MM-DD dddd")}</Typography.Title>
            {dayList(selectedDay)}
          </div>
        </>
      ) : (
        <div className="week-grid">
          {daysBetween(range.from, range.to).map((day) => (
            <div key={day} className={day === dayjs().format(DAY_FORMAT) ? "week-day today" : "week-day"} data-day={day}>
              <Typography.Text strong>{dayjs(day).format("ddd M/D")}</Typography.Text>
              {dayList(day)}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
