// The list screen of any object: layout columns, header sort, search, quick filters, keyset "load more", export.
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { App, Button, Empty, Grid, Input, Select, Space, Typography } from "antd";
import { DownloadOutlined, PlusOutlined } from "@ant-design/icons";
import { api, ApiError, downloadExport, type ListQuery } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import type { ObjectDescribe, RecordValues } from "../api/types";
import { FieldValue } from "../fields/FieldValue";
import { optionsOf } from "../fields/options";
import { displayFieldOf, screenFields, type ScreenField } from "../layout/fields";
import type { ObjectLayout } from "../layout/layout-types";
import { useI18n } from "../i18n/locale";
import { navigate, paths } from "../routing/router";
import { pageSpinner } from "../App";
import { preloadWhenIdle } from "../routing/preloadable-lazy";
import { ScreenError } from "./ScreenError";
import { ListCard } from "./ListCard";
import { ListTable, type ListTableColumn } from "./ListTable";
import { useDescribe } from "./use-describe";
import { headerSort, listQuery, MINE, openingListState, sortAfterHeaderClick, type QuickFilterValues } from "./list-filter";
import { arrivedFirstPage, firstPageRequest, PAGE_SIZE, takeFirstPage } from "./list-first-page";
import { FilterBuilder, preloadFilterDrawer } from "../filters/FilterBuilder";
import { filterFieldsOf } from "../filters/filter-fields";
import { fromJsonLogic, type FilterGroup } from "../filters/filter-model";
import { preloadSaveViewDialog, ViewPicker } from "../views/ViewPicker";
import { viewInput, viewState, type SavedView } from "../views/views-api";

const isEmpty = (value: unknown) => value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
const CARD_FIELDS = 4;

function QuickFilter({ field, value, onChange }: { field: ScreenField; value: string | boolean | undefined; onChange(value: string | boolean | undefined): void }) {
  const { t, text, locale } = useI18n();
  const { optionSets } = useMetadata();
  const definition = field.definition;
  const options =
    definition.type === "picklist"
      ? optionsOf(definition, optionSets).map((option) => ({ value: option.value, label: option.label[locale] }))
      : definition.type === "boolean"
        ? [
            { value: "true", label: t("yes") },
            { value: "false", label: t("no") },
          ]
        : [{ value: MINE, label: t("mine") }];
  return (
    <Select
      allowClear
      style={{ minWidth: 120 }}
      placeholder={text(definition.label)}
      aria-label={text(definition.label)}
      value={value === undefined ? undefined : String(value)}
      options={options}
      onChange={(next?: string) => onChange(next === undefined ? undefined : definition.type === "boolean" ? next === "true" : next)}
    />
  );
}

function useRecordList(object: string, query: ListQuery | null) {
  // The visit's prefetched first page, when it has arrived and is this query's: the first render shows its rows.
  const [arrived] = useState(() => (query ? arrivedFirstPage(object, query) : undefined));
  const [records, setRecords] = useState<RecordValues[]>(arrived?.records ?? []);
  const [nextCursor, setNextCursor] = useState<string | null>(arrived?.nextCursor ?? null);
  const [total, setTotal] = useState<number | undefined>(arrived?.total);
  // Loading from the first render on (the effect below asks at once): the table shows its spinner, not "no records".
  const [loading, setLoading] = useState(arrived === undefined);
  const [error, setError] = useState<Error | null>(null);
  /** Whether the first page (or its error) has been shown. */
  const [settled, setSettled] = useState(arrived !== undefined);
  const shownFirst = useRef(arrived !== undefined);
  const key = JSON.stringify(query);
  useEffect(() => {
    if (!query) return;
    const prefetched = takeFirstPage(object, query);
    if (shownFirst.current) {
      shownFirst.current = false;
      return;
    }
    let cancelled = false;
    setLoading(true);
    (prefetched ?? api.list(object, firstPageRequest(query))).then(
      (result) => {
        if (cancelled) return;
        setRecords(result.records);
        setNextCursor(result.nextCursor);
        setTotal(result.total);
        setError(null);
        setLoading(false);
        setSettled(true);
      },
      (caught: Error) => {
        if (cancelled) return;
        setError(caught);
        setLoading(false);
        setSettled(true);
      },
    );
    return () => {
      cancelled = true;
    };
    // The serialised query stands for the object, whose identity changes on every render.
  }, [object, key]);
  const loadMore = useCallback(() => {
    if (!query || !nextCursor) return;
    setLoading(true);
    api.list(object, { ...query, limit: PAGE_SIZE, cursor: nextCursor }).then(
      (result) => {
        setRecords((previous) => [...previous, ...result.records]);
        setNextCursor(result.nextCursor);
        setLoading(false);
      },
      (caught: Error) => {
        setError(caught);
        setLoading(false);
      },
    );
  }, [object, query, nextCursor]);
  return { records, nextCursor, total, loading, error, settled, loadMore };
}

/** A list row is at least this tall (a table row of size "middle" is 47 px, a card taller). */
const MIN_ROW_HEIGHT = 44;
/** What the window shows above a list's first row at most: the header, the two toolbars and the table's head. */
const ABOVE_FIRST_ROW = 240;

/**
 * The records to render. The first time a list shows records it renders only those that fill the window, and the
 * rest right after, in an interruptible render: rendering a whole page of rows with their cells at once is most of
 * a list's first paint, and the rows below the window cannot be seen before that second render is done anyway.
 */
function useRevealedRecords(records: RecordValues[]): { shown: RecordValues[]; complete: boolean } {
  const [firstPaintRows] = useState(() => Math.max(1, Math.ceil((window.innerHeight - ABOVE_FIRST_ROW) / MIN_ROW_HEIGHT)));
  const [revealed, setRevealed] = useState(false);
  const hasRecords = records.length > 0;
  useEffect(() => {
    if (hasRecords && !revealed) startTransition(() => setRevealed(true));
  }, [hasRecords, revealed]);
  const partial = !revealed && records.length > firstPaintRows;
  const shown = useMemo(() => (partial ? records.slice(0, firstPaintRows) : records), [partial, records, firstPaintRows]);
  return { shown, complete: !partial };
}

function RecordCards({ describe, records, fields, columns }: { describe: ObjectDescribe; records: RecordValues[]; fields: Map<string, ScreenField>; columns: string[] }) {
  const titleField = fields.get(displayFieldOf(describe));
  return (
    <div className="record-card-list">
      {records.map((record) => (
        <ListCard key={String(record.id)} recordId={String(record.id)} onClick={() => navigate(paths.record(describe.name, String(record.id)))}>
          <Typography.Text strong>{titleField ? <FieldValue definition={titleField.definition} value={record[titleField.definition.name]} /> : String(record.id)}</Typography.Text>
          {columns
            // A card has room for a few lines: empty values would waste them.
            .filter((name) => name !== titleField?.definition.name && !isEmpty(record[name]))
            .slice(0, CARD_FIELDS)
            .map((name) => {
              const field = fields.get(name)!;
              return (
                <div key={name} style={{ display: "flex", gap: 8, fontSize: 13, overflowWrap: "anywhere" }}>
                  <Typography.Text type="secondary" style={{ flex: "0 0 auto" }}>
                    <ListLabel field={field} />
                  </Typography.Text>
                  <span style={{ minWidth: 0 }}>
                    <FieldValue definition={field.definition} value={record[name]} />
                  </span>
                </div>
              );
            })}
        </ListCard>
      ))}
    </div>
  );
}

function ListLabel({ field }: { field: ScreenField }) {
  const { text } = useI18n();
  return <>{text(field.definition.label, field.definition.name)}</>;
}

function ReadyList({ describe, layout }: { describe: ObjectDescribe; layout: ObjectLayout }) {
  const { t, text } = useI18n();
  const { user } = useMetadata();
  const { message } = App.useApp();
  const phone = !Grid.useBreakpoint().md;
  const fields = useMemo(() => screenFields(describe), [describe]);
  const [viewColumns, setViewColumns] = useState<string[] | null>(null);
  const columnNames = (viewColumns ?? layout.list.columns.map((column) => column.field)).filter((name) => fields.has(name));
  const quickFilters = (layout.list.quickFilters ?? []).filter((name) => fields.has(name));
  // Opens as the visit's prefetched first page was asked for (list-first-page.ts), so that page is this one.
  const [opening] = useState(() => openingListState(layout.list.defaultSort));
  const [search, setSearch] = useState(opening.search);
  const [sort, setSort] = useState(opening.sort);
  const [filterValues, setFilterValues] = useState<QuickFilterValues>(opening.quickFilters);
  const filterFields = useMemo(() => filterFieldsOf(fields), [fields]);
  // The builder's filter; a picked view whose filter the builder cannot show applies as raw json-logic.
  const [advanced, setAdvanced] = useState<FilterGroup | null>(opening.advanced);
  const [rawFilter, setRawFilter] = useState<unknown>(opening.rawFilter);
  const [viewId, setViewId] = useState<string | null>(null);
  const query = useMemo<ListQuery>(
    () => listQuery({ search, sort, quickFilters: filterValues, advanced, rawFilter }, user.employeeId),
    [search, sort, filterValues, advanced, rawFilter, user.employeeId],
  );
  const filter = query.filter;
  const pickView = (view: SavedView | null) => {
    const state = view ? viewState(view, new Set(fields.keys()), layout.list.defaultSort) : { filter: undefined, sort: layout.list.defaultSort, columns: null };
    const kinds = new Map([...filterFields].map(([name, field]) => [name, field.kind]));
    const parsed = fromJsonLogic(state.filter, kinds);
    setViewId(view?.id ?? null);
    setFilterValues({});
    setAdvanced(parsed);
    setRawFilter(parsed ? undefined : state.filter);
    setSort(state.sort);
    setViewColumns(state.columns);
  };
  const list = useRecordList(describe.name, query);
  const rows = useRevealedRecords(list.records);
  // The code of the filter drawer and of the view dialog, once the rows are shown: opening them is then immediate.
  useEffect(() => (list.settled ? preloadWhenIdle(preloadFilterDrawer, preloadSaveViewDialog) : undefined), [list.settled]);
  const may = (action: string) => describe.access.actions.includes(action as never);

  const tableColumns: ListTableColumn<RecordValues>[] = columnNames.map((name) => {
    const field = fields.get(name)!;
    return {
      key: name,
      title: text(field.definition.label, name),
      width: layout.list.columns.find((column) => column.field === name)?.width,
      sortable: field.definition.name !== "related_employee_ids",
      render: (record) => <FieldValue definition={field.definition} value={record[name]} />,
    };
  });

  async function exportList() {
    try {
      await downloadExport(describe.name, query, "xlsx");
    } catch (caught) {
      message.error(caught instanceof ApiError ? text(caught.messages) : t("networkError"));
    }
  }

  return (
    <div>
      <div className="screen-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }} className="grow">
          {text(describe.pluralLabel ?? describe.label, describe.name)}
          {list.total !== undefined && (
            <Typography.Text type="secondary" style={{ fontSize: 13, marginLeft: 8, fontWeight: "normal" }}>
              {t("totalCount", { count: list.total })}
            </Typography.Text>
          )}
        </Typography.Title>
        {may("export") && (
          <Button icon={<DownloadOutlined />} onClick={exportList}>
            {t("export")}
          </Button>
        )}
        {may("create") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(paths.create(describe.name))}>
            {t("newRecord")}
          </Button>
        )}
      </div>
      <div className="screen-toolbar">
        <Input.Search allowClear placeholder={t("search")} aria-label={t("search")} onSearch={(value) => setSearch(value.trim())} style={{ maxWidth: phone ? "100%" : 280 }} />
        <Space wrap>
          <ViewPicker
            object={describe.name}
            selected={viewId}
            current={() => viewInput({ filter, sort, defaultSort: layout.list.defaultSort, columns: viewColumns })}
            onPick={pickView}
          />
          <FilterBuilder
            fields={filterFields}
            value={advanced}
            onApply={(next) => {
              setAdvanced(next);
              setRawFilter(undefined);
            }}
          />
          {quickFilters.map((name) => (
            <QuickFilter key={name} field={fields.get(name)!} value={filterValues[name]} onChange={(value) => setFilterValues((previous) => ({ ...previous, [name]: value }))} />
          ))}
        </Space>
      </div>
      {list.error && <ScreenError error={list.error} />}
      {!list.error && phone ? (
        list.records.length === 0 && !list.loading ? (
          <Empty description={t("noRecords")} />
        ) : (
          <RecordCards describe={describe} records={rows.shown} fields={fields} columns={columnNames} />
        )
      ) : (
        !list.error && (
          <ListTable<RecordValues>
            rowKey={(record) => String(record.id)}
            loading={list.loading}
            columns={tableColumns}
            // Until the first page is here there is no data rather than none: the table shows only its spinner.
            rows={list.settled ? rows.shown : undefined}
            // Columns as wide as their content, the table scrolling sideways when wider than the screen (styles.css).
            className="list-table"
            sort={headerSort(sort)}
            onSortChange={(key, order) => setSort(sortAfterHeaderClick(key, order, layout.list.defaultSort))}
            onRowClick={(record) => navigate(paths.record(describe.name, String(record.id)))}
            emptyText={<Empty description={t("noRecords")} />}
          />
        )
      )}
      <div style={{ textAlign: "center", marginTop: 12 }}>
        {!rows.complete ? null : list.nextCursor ? (
          <Button onClick={list.loadMore} loading={list.loading}>
            {t("loadMore")}
          </Button>
        ) : (
          list.records.length > 0 && <Typography.Text type="secondary">{t("noMore")}</Typography.Text>
        )}
      </div>
    </div>
  );
}

export default function ListScreen({ object }: { object: string }) {
  const state = useDescribe(object);
  if (state.status === "loading") return pageSpinner;
  if (state.status === "failed") return <ScreenError error={state.error} />;
  return <ReadyList describe={state.describe} layout={state.layout} />;
}
