// Asks before an action that needs no input (generate a document, make formal, a workflow transition); the
// server's refusal is shown in the dialog, which then stays open.
import { useState } from "react";
import { Alert, Modal, Typography } from "antd";
import { useI18n } from "../../i18n/locale";

export interface ActionConfirmation {
  title: string;
  question: string;
  run(): Promise<void>;
  errorText(caught: unknown): string;
}

export function ConfirmActionDialog({ confirmation, onClose }: { confirmation: ActionConfirmation; onClose(): void }) {
  const { t } = useI18n();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setRunning(true);
    setError(null);
    try {
      await confirmation.run();
      onClose();
    } catch (caught) {
      setError(confirmation.errorText(caught));
      setRunning(false);
    }
  }
  return (
    <Modal open title={confirmation.title} onOk={confirm} onCancel={onClose} confirmLoading={running} destroyOnHidden className="action-confirm">
      {error && <Alert type="error" showIcon title={t("actionFailed")} description={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>{confirmation.question}</Typography.Paragraph>
    </Modal>
  );
}
