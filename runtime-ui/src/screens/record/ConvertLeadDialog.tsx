// 线索转换: choose a new potential customer or an existing one, and whether a contact and an opportunity are
// created too; afterwards the dialog links to every record the conversion created.
import { useState } from "react";
import { Alert, Checkbox, Form, Modal, Radio, Space, Typography } from "antd";
import { useMetadata } from "../../api/metadata-store";
import { services } from "../../api/record-services";
import type { RecordValues } from "../../api/types";
import { LookupPicker } from "../../fields/LookupPicker";
import { displayFieldOf } from "../../layout/fields";
import { useI18n } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { actionErrorText } from "./action-errors";
import { convertBody, type ConvertChoices } from "./convert-body";

interface ConvertLeadDialogProps {
  lead: RecordValues;
  action: string;
  title: string;
  /** converted: the lead changed, so the screen reloads it (only now: reloading unmounts this dialog). */
  onClose(converted: boolean): void;
}

export function ConvertLeadDialog({ lead, action, title, onClose }: ConvertLeadDialogProps) {
  const { t, text } = useI18n();
  const { objectByName } = useMetadata();
  const [form] = Form.useForm<ConvertChoices>();
  const customer = Form.useWatch("customer", form);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Record<string, RecordValues> | null>(null);

  async function convert() {
    const choices = await form.validateFields();
    if ((choices.contact || choices.opportunity) && choices.customer === "none") return setError(t("convertNeedsCustomer"));
    const body = convertBody(choices);
    if (Object.keys(body).length === 0) return setError(t("convertNothing"));
    setRunning(true);
    setError(null);
    try {
      const result = await services.runAction("lead", String(lead.id), action, body);
      setCreated(result.created ?? {});
    } catch (caught) {
      setError(actionErrorText(caught, text, t("networkError")));
    } finally {
      setRunning(false);
    }
  }

  if (created) {
    return (
      <Modal open title={title} onCancel={() => onClose(true)} onOk={() => onClose(true)} cancelButtonProps={{ style: { display: "none" } }} okText={t("close")}>
        <Typography.Paragraph>{t("convertedInto")}</Typography.Paragraph>
        <Space orientation="vertical">
          {Object.entries(created).map(([object, record]) => {
            const describe = objectByName.get(object);
            const name = describe ? String(record[displayFieldOf(describe)] ?? record.id) : String(record.id);
            return (
              <Typography.Link
                key={object}
                data-created={object}
                onClick={() => {
                  onClose(true);
                  navigate(paths.record(object, String(record.id)));
                }}
              >
                {text(describe?.label, object)}: {name}
              </Typography.Link>
            );
          })}
        </Space>
      </Modal>
    );
  }

  return (
    <Modal open title={title} onOk={convert} onCancel={() => onClose(false)} confirmLoading={running} destroyOnHidden>
      {error && <Alert type="error" showIcon title={t("actionFailed")} description={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ customer: "new", contact: true, opportunity: true }}>
        <Form.Item name="customer" label={t("convertCustomer")}>
          <Radio.Group>
            <Space orientation="vertical">
              <Radio value="new">{t("convertNewCustomer")}</Radio>
              <Radio value="existing">{t("convertExistingCustomer")}</Radio>
              <Radio value="none">{t("convertNoCustomer")}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {customer === "existing" && (
          <Form.Item name="customerId" rules={[{ required: true, message: t("convertPickCustomer") }]}>
            <LookupPicker target="customer" />
          </Form.Item>
        )}
        <Form.Item name="contact" valuePropName="checked" style={{ marginBottom: 4 }}>
          <Checkbox>{t("convertContact")}</Checkbox>
        </Form.Item>
        <Form.Item name="opportunity" valuePropName="checked">
          <Checkbox>{t("convertOpportunity")}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
