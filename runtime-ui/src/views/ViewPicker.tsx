// Saved views on the list screen: pick one of my views, save the current filter and sort as a view, update or delete it.
// The naming dialog (a form) is its own chunk, fetched when first wanted or once the list's rows are shown.
import { Suspense, useCallback, useEffect, useState } from "react";
import { App, Button, Dropdown, Popconfirm, Select, Space } from "antd";
import { DeleteOutlined, DownOutlined, SaveOutlined } from "@ant-design/icons";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/locale";
import { useFilterText } from "../filters/filter-text";
import { preloadableLazy } from "../routing/preloadable-lazy";
import { viewsApi, type SavedView, type ViewInput } from "./views-api";

const DIALOG = preloadableLazy(() => import("./SaveViewDialog"));
const SaveViewDialog = DIALOG.Component;

/** Fetches the naming dialog's code ahead of its first opening. */
export const preloadSaveViewDialog = DIALOG.preload;

export interface ViewPickerProps {
  object: string;
  selected: string | null;
  /** The list's current state as a view body (without name). */
  current(): ViewInput;
  onPick(view: SavedView | null): void;
}

export function ViewPicker({ object, selected, current, onPick }: ViewPickerProps) {
  const { t, text } = useI18n();
  const ft = useFilterText();
  const { message } = App.useApp();
  const [views, setViews] = useState<SavedView[]>([]);
  const [naming, setNaming] = useState(false);
  // Mounted from the first opening on (and kept, so that it closes with its animation).
  const [dialogMounted, setDialogMounted] = useState(false);
  // Opens once the dialog's code is here (usually it is), never through a Suspense fallback.
  const startNaming = () =>
    void preloadSaveViewDialog().then(() => {
      setDialogMounted(true);
      setNaming(true);
    });

  const reload = useCallback(() => viewsApi.list(object).then(setViews, () => setViews([])), [object]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const failed = (caught: unknown) => message.error(caught instanceof ApiError ? text(caught.messages) : t("networkError"));
  const selectedView = views.find((view) => view.id === selected) ?? null;

  /** Saves the current state as a new view named so; the dialog shows a rejected name's error at the name. */
  async function saveNew(name: string) {
    const created = await viewsApi.create(object, { ...current(), name });
    await reload();
    onPick(created);
    setNaming(false);
    message.success(ft("viewSaved"));
  }

  async function updateSelected() {
    if (!selectedView) return;
    try {
      const updated = await viewsApi.update(object, selectedView.id, current());
      await reload();
      onPick(updated);
      message.success(ft("viewSaved"));
    } catch (caught) {
      failed(caught);
    }
  }

  async function removeSelected() {
    if (!selectedView) return;
    try {
      await viewsApi.remove(object, selectedView.id);
      await reload();
      onPick(null);
      message.success(ft("viewDeleted"));
    } catch (caught) {
      failed(caught);
    }
  }

  return (
    <Space.Compact className="view-picker">
      <Select
        aria-label={ft("view")}
        style={{ minWidth: 160 }}
        value={selected ?? ""}
        options={[{ value: "", label: ft("allRecords") }, ...views.map((view) => ({ value: view.id, label: view.name }))]}
        onChange={(id: string) => onPick(views.find((view) => view.id === id) ?? null)}
      />
      {selectedView ? (
        <Dropdown
          menu={{
            items: [
              { key: "update", label: ft("updateView") },
              { key: "new", label: ft("saveAsNew") },
            ],
            onClick: ({ key }) => (key === "update" ? void updateSelected() : startNaming()),
          }}
        >
          <Button icon={<SaveOutlined />}>
            {ft("saveView")} <DownOutlined />
          </Button>
        </Dropdown>
      ) : (
        <Button icon={<SaveOutlined />} onClick={startNaming} onPointerEnter={preloadSaveViewDialog} onFocus={preloadSaveViewDialog}>
          {ft("saveView")}
        </Button>
      )}
      {selectedView && (
        <Popconfirm title={ft("deleteViewConfirm", { name: selectedView.name })} okText={t("yes")} cancelText={t("no")} onConfirm={removeSelected}>
          <Button icon={<DeleteOutlined />} aria-label={ft("deleteView")} title={ft("deleteView")} />
        </Popconfirm>
      )}
      {dialogMounted && (
        <Suspense fallback={null}>
          <SaveViewDialog open={naming} onSave={saveNew} onFailed={failed} onClose={() => setNaming(false)} />
        </Suspense>
      )}
    </Space.Compact>
  );
}
