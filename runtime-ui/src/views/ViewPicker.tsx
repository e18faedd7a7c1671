// Saved views on the list screen: pick one of my views, save the current filter and sort as a view, update or delete it.
import { useCallback, useEffect, useState } from "react";
import { App, Button, Dropdown, Form, Input, Modal, Popconfirm, Select, Space } from "antd";
import { DeleteOutlined, DownOutlined, SaveOutlined } from "@ant-design/icons";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/locale";
import { useFilterText } from "../filters/FilterBuilder";
import { viewsApi, type SavedView, type ViewInput } from "./views-api";

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
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  const reload = useCallback(() => viewsApi.list(object).then(setViews, () => setViews([])), [object]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const failed = (caught: unknown) => message.error(caught instanceof ApiError ? text(caught.messages) : t("networkError"));
  const selectedView = views.find((view) => view.id === selected) ?? null;

  async function saveNew() {
    const { name } = await form.validateFields();
    setSaving(true);
    try {
      const created = await viewsApi.create(object, { ...current(), name: name.trim() });
      await reload();
      onPick(created);
      setNaming(false);
      form.resetFields();
      message.success(ft("viewSaved"));
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.some((detail) => detail.path === "/name")) {
        form.setFields([{ name: "name", errors: [text(caught.messages)] }]);
      } else failed(caught);
    } finally {
      setSaving(false);
    }
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
            onClick: ({ key }) => (key === "update" ? void updateSelected() : setNaming(true)),
          }}
        >
          <Button icon={<SaveOutlined />}>
            {ft("saveView")} <DownOutlined />
          </Button>
        </Dropdown>
      ) : (
        <Button icon={<SaveOutlined />} onClick={() => setNaming(true)}>
          {ft("saveView")}
        </Button>
      )}
      {selectedView && (
        <Popconfirm title={ft("deleteViewConfirm", { name: selectedView.name })} okText={t("yes")} cancelText={t("no")} onConfirm={removeSelected}>
          <Button icon={<DeleteOutlined />} aria-label={ft("deleteView")} title={ft("deleteView")} />
        </Popconfirm>
      )}
      <Modal title={ft("saveView")} open={naming} okText={t("save")} cancelText={t("cancel")} confirmLoading={saving} onOk={saveNew} onCancel={() => setNaming(false)} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={saveNew}>
          <Form.Item name="name" label={ft("viewName")} rules={[{ required: true, whitespace: true, message: ft("viewNameRequired") }, { max: 60 }]}>
            <Input autoFocus maxLength={60} />
          </Form.Item>
        </Form>
      </Modal>
    </Space.Compact>
  );
}
