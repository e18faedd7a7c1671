// The dialog naming a new saved view (保存视图). Its own chunk: the list screen shows without antd's form code.
import { useState } from "react";
import { Form, Input, Modal } from "antd";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/locale";
import { useFilterText } from "../filters/filter-text";

export interface SaveViewDialogProps {
  open: boolean;
  /** Saves the view; an ApiError about /name is shown at the name field, any other failure goes to onFailed. */
  onSave(name: string): Promise<void>;
  onFailed(caught: unknown): void;
  onClose(): void;
}

export default function SaveViewDialog({ open, onSave, onFailed, onClose }: SaveViewDialogProps) {
  const { t, text } = useI18n();
  const ft = useFilterText();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  async function save() {
    const { name } = await form.validateFields();
    setSaving(true);
    try {
      await onSave(name.trim());
      form.resetFields();
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.some((detail) => detail.path === "/name")) {
        form.setFields([{ name: "name", errors: [text(caught.messages)] }]);
      } else onFailed(caught);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal title={ft("saveView")} open={open} okText={t("save")} cancelText={t("cancel")} confirmLoading={saving} onOk={save} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item name="name" label={ft("viewName")} rules={[{ required: true, whitespace: true, message: ft("viewNameRequired") }, { max: 60 }]}>
          <Input autoFocus maxLength={60} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
