// A dialog asking for one text (输单原因, 审批意见) before an action runs; shows the server's error in place.
import { useState } from "react";
import { Alert, Form, Input, Modal } from "antd";
import { useI18n } from "../../i18n/locale";

export interface TextPrompt {
  title: string;
  label: string;
  required: boolean;
  requiredMessage: string;
  /** Runs the action; a thrown error's text is shown in the dialog, which stays open. */
  run(value: string): Promise<void>;
  errorText(caught: unknown): string;
}

export function TextPromptDialog({ prompt, onClose }: { prompt: TextPrompt; onClose(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ value: string }>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const { value } = await form.validateFields();
    setRunning(true);
    setError(null);
    try {
      await prompt.run((value ?? "").trim());
      onClose();
    } catch (caught) {
      setError(prompt.errorText(caught));
    } finally {
      setRunning(false);
    }
  }
  return (
    <Modal open title={prompt.title} onOk={submit} onCancel={onClose} confirmLoading={running} destroyOnHidden>
      {error && <Alert type="error" showIcon title={t("actionFailed")} description={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="value" label={prompt.label} rules={prompt.required ? [{ required: true, whitespace: true, message: prompt.requiredMessage }] : []}>
          <Input.TextArea rows={3} maxLength={2000} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
