// The list screen's table: a plain <table> in antd's Table markup and class names (its styles come with antd.css),
// with header sort, an empty state and a loading spinner. antd's Table brings rc-table, rc-tree, checkboxes, radios
// and its filter dropdowns, some 120 kB of a cold list visit's JavaScript to download, parse and run, and it renders
// a few layers of components per cell; the list uses none of that.
import { useContext, type KeyboardEvent, type ReactNode } from "react";
import { ConfigProvider, Spin, Tooltip } from "antd";
// antd's own Table style hook: with theme.zeroRuntime it injects no styles, but it registers the table's CSS
// variables (header background, row hover, sort colours …) under the class names it returns, as antd's Table does.
import useTableStyle from "antd/es/table/style";
import CaretDownOutlined from "@ant-design/icons/CaretDownOutlined";
import CaretUpOutlined from "@ant-design/icons/CaretUpOutlined";
import { useI18n } from "../i18n/locale";

export type SortOrder = "ascend" | "descend";

export interface ListTableColumn<Row> {
  key: string;
  title: string;
  /** From the layout; the table lays out its columns automatically otherwise. */
  width?: number | string;
  sortable: boolean;
  render(row: Row): ReactNode;
}

export interface ListTableProps<Row> {
  columns: ListTableColumn<Row>[];
  /** undefined while the first page is on its way: the table then shows its spinner only, not "no records". */
  rows: Row[] | undefined;
  rowKey(row: Row): string;
  loading: boolean;
  sort: { key: string; order: SortOrder } | null;
  /** A header was clicked: its column's next order (ascending, descending, then none, as antd's Table). */
  onSortChange(key: string, order: SortOrder | null): void;
  onRowClick(row: Row): void;
  emptyText: ReactNode;
  className?: string;
}

/** A sortable column's order after a click on its header: none → ascending → descending → none. */
export function nextSortOrder(current: SortOrder | null): SortOrder | null {
  return current === null ? "ascend" : current === "ascend" ? "descend" : null;
}

const join = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(" ");

function SortableHeader<Row>({ prefix, column, order, onSortChange }: { prefix: string; column: ListTableColumn<Row>; order: SortOrder | null; onSortChange: ListTableProps<Row>["onSortChange"] }) {
  const { t } = useI18n();
  const next = nextSortOrder(order);
  const trigger = () => onSortChange(column.key, next);
  return (
    <th
      scope="col"
      tabIndex={0}
      title={column.title}
      aria-label={column.title}
      aria-description={t("sortable")}
      aria-sort={order === null ? undefined : order === "ascend" ? "ascending" : "descending"}
      className={join(`${prefix}-cell`, order !== null && `${prefix}-column-sort`, `${prefix}-cell-ellipsis`, `${prefix}-column-has-sorters`)}
      onClick={trigger}
      onKeyDown={(event: KeyboardEvent) => {
        if (event.key === "Enter") trigger();
      }}
    >
      <Tooltip title={t(next === "ascend" ? "sortAscending" : next === "descend" ? "sortDescending" : "sortCancel")}>
        <div className={`${prefix}-column-sorters`}>
          <span className={`${prefix}-column-title`}>{column.title}</span>
          <span className={`${prefix}-column-sorter ${prefix}-column-sorter-full`}>
            <span className={`${prefix}-column-sorter-inner`} aria-hidden="true">
              <CaretUpOutlined className={join(`${prefix}-column-sorter-up`, order === "ascend" && "active")} />
              <CaretDownOutlined className={join(`${prefix}-column-sorter-down`, order === "descend" && "active")} />
            </span>
          </span>
        </div>
      </Tooltip>
    </th>
  );
}

export function ListTable<Row>({ columns, rows, rowKey, loading, sort, onSortChange, onRowClick, emptyText, className }: ListTableProps<Row>) {
  const prefix = useContext(ConfigProvider.ConfigContext).getPrefixCls("table");
  const [hashId, cssVarClass] = useTableStyle(prefix, `${prefix}-css-var`);
  const themed = join(cssVarClass, `${prefix}-css-var`, hashId);
  const orderOf = (key: string) => (sort?.key === key ? sort.order : null);
  const empty = !rows || rows.length === 0;
  return (
    <div className={join(cssVarClass, `${prefix}-css-var`, `${prefix}-wrapper`, className, hashId)}>
      <Spin spinning={loading}>
        <div className={join(prefix, `${prefix}-medium`, empty && `${prefix}-empty`, themed)}>
          <div className={`${prefix}-container`}>
            <div className={`${prefix}-content`}>
              <table style={{ tableLayout: "auto" }}>
                <colgroup>
                  {columns.map((column) => (
                    <col key={column.key} style={column.width === undefined ? undefined : { width: column.width }} />
                  ))}
                </colgroup>
                <thead className={`${prefix}-thead`}>
                  <tr>
                    {columns.map((column) =>
                      column.sortable ? (
                        <SortableHeader key={column.key} prefix={prefix} column={column} order={orderOf(column.key)} onSortChange={onSortChange} />
                      ) : (
                        <th key={column.key} scope="col" title={column.title} className={join(`${prefix}-cell`, `${prefix}-cell-ellipsis`)}>
                          {column.title}
                        </th>
                      ),
                    )}
                  </tr>
                </thead>
                <tbody className={`${prefix}-tbody`}>
                  {empty ? (
                    <tr className={`${prefix}-placeholder`}>
                      <td className={`${prefix}-cell`} colSpan={columns.length}>
                        {/* Nothing under the spinner until the first page is here: there is no data yet rather than none. */}
                        {rows === undefined && loading ? null : emptyText}
                      </td>
                    </tr>
                  ) : (
                    rows.map((row) => (
                      <tr key={rowKey(row)} data-row-key={rowKey(row)} className={`${prefix}-row ${prefix}-row-level-0`} style={{ cursor: "pointer" }} onClick={() => onRowClick(row)}>
                        {columns.map((column) => (
                          <td key={column.key} className={join(`${prefix}-cell`, orderOf(column.key) !== null && `${prefix}-column-sort`, `${prefix}-cell-ellipsis`)}>
                            {column.render(row)}
                          </td>
                        ))}
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </Spin>
    </div>
  );
}
