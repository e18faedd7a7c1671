// The 审批记录 tab: the workflow's current state, who the approval waits for, and every submission, decision and
// state change with its comment.
import { Descriptions, Empty, Tag, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import type { WorkflowHistoryEntry, WorkflowView } from "../../api/record-services";
import type { LocalizedText, ObjectDescribe, RecordValues } from "../../api/types";
import { useI18n } from "../../i18n/locale";
import type { MessageKey } from "../../i18n/messages";

const DECISIONS: Record<string, MessageKey> = {
  submit: "workflowActionSubmit",
  approve: "workflowActionApprove",
  reject: "workflowActionReject",
  add_approver: "workflowActionAddApprover",
  hand_over: "workflowActionHandOver",
  approved: "workflowOutcomeApproved",
  rejected: "workflowOutcomeRejected",
};

const DECISION_COLORS: Record<string, string> = { approve: "green", reject: "red", submit: "blue", approved: "green", rejected: "red" };

// describe and record stay in the signature the record screen calls with; states and steps come labelled by the server.
export function WorkflowTab({ workflow }: { describe: ObjectDescribe; record: RecordValues; workflow: WorkflowView }) {
  const { t, text } = useI18n();
  const stateName = (label: LocalizedText | null, state: string | null) => text(label ?? undefined, state ?? "");
  const actionName = (entry: WorkflowHistoryEntry) => {
    const key = DECISIONS[entry.action];
    if (key) return t(key);
    const transition = workflow.transitions.find((candidate) => candidate.name === entry.action);
    return transition ? text(transition.label, entry.action) : entry.action;
  };
  const waitingFor = workflow.approval?.status === "pending" ? workflow.tasks.filter((task) => task.status === "pending" && task.step === workflow.approval?.step) : [];
  return (
    <div>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t("workflowState")}>
          <Tag color={workflow.locked ? "orange" : "blue"}>{text(workflow.stateLabel, workflow.state)}</Tag>
        </Descriptions.Item>
        {workflow.approval?.status === "pending" && (
          <Descriptions.Item label={t("approvalStep")}>{text(workflow.approval.stepLabel ?? undefined, workflow.approval.stepName ?? "—")}</Descriptions.Item>
        )}
        {waitingFor.length > 0 && (
          <Descriptions.Item label={t("pendingApprovers")}>{waitingFor.map((task) => task.approver?.displayName || task.approver?.username || "—").join("、")}</Descriptions.Item>
        )}
      </Descriptions>
      {workflow.history.length === 0 ? (
        <Empty description={t("noRecords")} />
      ) : (
        <Timeline
          items={[...workflow.history].reverse().map((entry, index) => ({
            key: `${entry.at}:${index}`,
            color: DECISION_COLORS[entry.action] ?? "gray",
            content: (
              <div className="workflow-entry">
                <Typography.Text strong>{actionName(entry)}</Typography.Text>{" "}
                {entry.stepLabel && <Tag>{text(entry.stepLabel)}</Tag>}
                <Typography.Text type="secondary">
                  {t("changedBy", { who: entry.actor?.displayName || entry.actor?.username || "—", when: dayjs(entry.at).format("YYYY-MM-DD HH:mm") })}
                </Typography.Text>
                {entry.toState && entry.fromState !== entry.toState && (
                  <div>
                    {stateName(entry.fromStateLabel, entry.fromState)} → {stateName(entry.toStateLabel, entry.toState)}
                  </div>
                )}
                {entry.target && <div>→ {entry.target.displayName || entry.target.username}</div>}
                {entry.comment && <Typography.Paragraph style={{ margin: 0, overflowWrap: "anywhere" }}>“{entry.comment}”</Typography.Paragraph>}
              </div>
            ),
          }))}
        />
      )}
    </div>
  );
}
