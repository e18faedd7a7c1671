// The record screen's action bar: declared CRM actions (convert, generate quote / order / contract, close lost,
// make formal, assign), the workflow's transitions and approval decisions, and print; each opens the dialog it needs.
import { useState } from "react";
import { App, Button, Dropdown, Space } from "antd";
import { CheckOutlined, CloseOutlined, DownOutlined, PrinterOutlined } from "@ant-design/icons";
import { services, type ActionResult, type WorkflowView } from "../../api/record-services";
import type { ActionDefinition, ObjectDescribe, RecordValues } from "../../api/types";
import type { ObjectLayout } from "../../layout/layout-types";
import { useI18n } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { actionErrorText } from "./action-errors";
import { availability } from "./available-when";
import { AssignOwnerDialog } from "./AssignOwnerDialog";
import { ConfirmActionDialog, type ActionConfirmation } from "./ConfirmActionDialog";
import { ConvertLeadDialog } from "./ConvertLeadDialog";
import { TextPromptDialog, type TextPrompt } from "./TextPromptDialog";

interface RecordActionsProps {
  describe: ObjectDescribe;
  layout: ObjectLayout;
  record: RecordValues;
  /** The record is in the user's edit scope: declared actions need it (the server checks again). */
  writable: boolean;
  workflow: WorkflowView | null;
  /** The record changed on the server: reload it (and its workflow). */
  onChanged(): void;
}

type OpenDialog = { kind: "convert"; action: ActionDefinition } | { kind: "assign"; action: ActionDefinition } | { kind: "prompt"; prompt: TextPrompt } | { kind: "confirm"; confirmation: ActionConfirmation } | null;

/** Declared actions this user may run on this record now (function permission, and availableWhen unless unknown). */
export function runnableActions(describe: ObjectDescribe, record: RecordValues): ActionDefinition[] {
  return (describe.actions ?? []).filter((action) => describe.access.actions.includes(action.name as never) && availability(action.availableWhen, record) !== false);
}

export function RecordActions({ describe, layout, record, writable, workflow, onChanged }: RecordActionsProps) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const id = String(record.id);
  const errorText = (caught: unknown) => actionErrorText(caught, text, t("networkError"));

  const run = async (action: string, body: unknown = {}): Promise<ActionResult> => {
    const result = await services.runAction(describe.name, id, action, body);
    message.success(t("actionDone"));
    onChanged();
    return result;
  };

  /** A confirmation, then the action; a refusal stays in the dialog with the server's reason. */
  const confirmThenRun = (label: string, action: string, after?: (result: ActionResult) => void) =>
    setDialog({
      kind: "confirm",
      confirmation: {
        title: label,
        question: t("confirmAction", { action: label }),
        errorText,
        run: async () => {
          // Not `after?.(await run(action))`: without a callback the optional call would skip the action itself.
          const result = await run(action);
          after?.(result);
        },
      },
    });

  const startDeclared = (action: ActionDefinition) => {
    const label = text(action.label, action.name);
    switch (action.kind) {
      case "convert_lead":
        return setDialog({ kind: "convert", action });
      case "close_lost":
        return setDialog({
          kind: "prompt",
          prompt: { title: label, label: t("closeLostReason"), required: true, requiredMessage: t("reasonRequired"), errorText, run: async (reason) => void (await run(action.name, { reason })) },
        });
      case "generate_document":
        return confirmThenRun(label, action.name, (result) => {
          const created = result.created?.[action.target];
          if (created?.id) navigate(paths.record(action.target, String(created.id)));
        });
      case "make_formal":
        return confirmThenRun(label, action.name);
      case "assign":
        return setDialog({ kind: "assign", action });
    }
  };

  const decide = (decision: "approve" | "reject") =>
    setDialog({
      kind: "prompt",
      prompt: {
        title: t(decision === "approve" ? "actionApprove" : "actionReject"),
        label: t("comment"),
        required: decision === "reject",
        requiredMessage: t("commentRequired"),
        errorText,
        run: async (comment) => void (await run(decision, comment ? { comment } : {})),
      },
    });

  const declared = writable ? runnableActions(describe, record) : [];
  const templates = describe.access.actions.includes("print") ? (layout.print ?? []) : [];
  const openPrint = (template: string) => window.open(services.printUrl(describe.name, id, template), "_blank", "noopener");

  return (
    <>
      <Space wrap className="record-actions">
        {workflow?.actions.includes("approve") && (
          <Button type="primary" icon={<CheckOutlined />} onClick={() => decide("approve")}>
            {t("actionApprove")}
          </Button>
        )}
        {workflow?.actions.includes("reject") && (
          <Button danger icon={<CloseOutlined />} onClick={() => decide("reject")}>
            {t("actionReject")}
          </Button>
        )}
        {workflow?.transitions.map((transition) => (
          <Button key={`transition:${transition.name}`} type={transition.approval ? "primary" : "default"} onClick={() => confirmThenRun(text(transition.label, transition.name), transition.name)}>
            {text(transition.label, transition.name)}
          </Button>
        ))}
        {declared.map((action) => (
          <Button key={action.name} onClick={() => startDeclared(action)}>
            {text(action.label, action.name)}
          </Button>
        ))}
        {templates.length === 1 && (
          <Button icon={<PrinterOutlined />} onClick={() => openPrint(templates[0].name)}>
            {t("print")}
          </Button>
        )}
        {templates.length > 1 && (
          <Dropdown menu={{ items: templates.map((template) => ({ key: template.name, label: text(template.label, template.name) })), onClick: ({ key }) => openPrint(key) }}>
            <Button icon={<PrinterOutlined />}>
              {t("print")} <DownOutlined />
            </Button>
          </Dropdown>
        )}
      </Space>
      {dialog?.kind === "convert" && (
        <ConvertLeadDialog
          lead={record}
          action={dialog.action.name}
          title={text(dialog.action.label, dialog.action.name)}
          onClose={(converted) => {
            setDialog(null);
            if (converted) onChanged();
          }}
        />
      )}
      {dialog?.kind === "assign" && (
        <AssignOwnerDialog
          title={text(dialog.action.label, dialog.action.name)}
          errorText={errorText}
          run={async (ownerId) => void (await run(dialog.action.name, { owner_id: ownerId }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "confirm" && <ConfirmActionDialog confirmation={dialog.confirmation} onClose={() => setDialog(null)} />}
      {dialog?.kind === "prompt" && <TextPromptDialog prompt={dialog.prompt} onClose={() => setDialog(null)} />}
    </>
  );
}
