// 分配: choose the employee who takes the record over (the server moves the department with the owner).
import { useState } from "react";
import { Alert, Form, Modal } from "antd";
import { LookupPicker } from "../../fields/LookupPicker";
import { useI18n } from "../../i18n/locale";

export function AssignOwnerDialog({ title, run, errorText, onClose }: { title: string; run(ownerId: string): Promise<void>; errorText(caught: unknown): string; onClose(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ owner_id: string }>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const { owner_id } = await form.validateFields();
    setRunning(true);
    setError(null);
    try {
      await run(owner_id);
      onClose();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setRunning(false);
    }
  }
  return (
    <Modal open title={title} onOk={submit} onCancel={onClose} confirmLoading={running} destroyOnHidden>
      {error && <Alert type="error" showIcon title={t("actionFailed")} description={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="owner_id" label={t("ownerId")} rules={[{ required: true, message: t("requiredField", { label: t("ownerId") }) }]}>
          <LookupPicker target="employee" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
