// 待办审批: the approval tasks waiting for me, newest first, each with its step and the record's state by their labels,
// approve / reject (a comment is required to reject) and a link to the record.
import { useCallback, useEffect, useState } from "react";
import { App, Button, Card, Empty, Space, Tag, Typography } from "antd";
import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import dayjs from "dayjs";
import { services, type InboxTask } from "../../api/record-services";
import { useI18n } from "../../i18n/locale";
import { navigate, paths } from "../../routing/router";
import { pageSpinner } from "../../App";
import { ScreenError } from "../ScreenError";
import { actionErrorText } from "../record/action-errors";
import { TextPromptDialog, type TextPrompt } from "../record/TextPromptDialog";
import { setInboxCount } from "./inbox-count";
import "./approvals.css";

export default function ApprovalsInbox() {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const [tasks, setTasks] = useState<InboxTask[] | Error | null>(null);
  const [prompt, setPrompt] = useState<TextPrompt | null>(null);

  const load = useCallback(() => {
    services.inbox().then(
      (inbox) => {
        setTasks(inbox.tasks);
        setInboxCount(inbox.tasks.length);
      },
      (error: Error) => setTasks(error),
    );
  }, []);
  useEffect(load, [load]);

  if (tasks === null) return pageSpinner;
  if (tasks instanceof Error) return <ScreenError error={tasks} />;

  const decide = (task: InboxTask, decision: "approve" | "reject") =>
    setPrompt({
      title: `${t(decision === "approve" ? "actionApprove" : "actionReject")}：${task.title ?? text(task.objectLabel)}`,
      label: t("comment"),
      required: decision === "reject",
      requiredMessage: t("commentRequired"),
      errorText: (caught) => actionErrorText(caught, text, t("networkError")),
      run: async (comment) => {
        await services.runAction(task.object, task.recordId, decision, comment ? { comment } : {});
        message.success(t("actionDone"));
        load();
      },
    });

  return (
    <div className="approvals-inbox">
      <div className="screen-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }} className="grow">
          {t("approvalsInbox")}
        </Typography.Title>
      </div>
      {tasks.length === 0 ? (
        <Empty description={t("approvalsEmpty")} />
      ) : (
        <div className="record-card-list">
          {tasks.map((task) => (
            <Card key={task.id} size="small" className="inbox-task" data-record={task.recordId}>
              <div className="inbox-task-body">
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Space wrap size={4}>
                    <Tag>{text(task.objectLabel, task.object)}</Tag>
                    <Typography.Link strong onClick={() => navigate(paths.record(task.object, task.recordId))}>
                      {task.title ?? task.recordId}
                    </Typography.Link>
                    {task.stateLabel && <Tag color="orange">{text(task.stateLabel, task.state ?? "")}</Tag>}
                  </Space>
                  <div className="inbox-task-step">
                    <Typography.Text>
                      {t("approvalStep")}: {text(task.stepLabel ?? undefined, task.stepName ?? "—")}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      {" · "}
                      {text(task.workflowLabel)} · {t(task.mode === "all" ? "approvalModeAll" : "approvalModeAny")}
                    </Typography.Text>
                  </div>
                  <div>
                    <Typography.Text type="secondary">
                      {t("submittedBy", { who: task.submittedBy?.displayName || task.submittedBy?.username || "—", when: dayjs(task.createdAt).format("YYYY-MM-DD HH:mm") })}
                    </Typography.Text>
                  </div>
                </div>
                <Space wrap>
                  <Button type="primary" icon={<CheckOutlined />} onClick={() => decide(task, "approve")}>
                    {t("actionApprove")}
                  </Button>
                  <Button danger icon={<CloseOutlined />} onClick={() => decide(task, "reject")}>
                    {t("actionReject")}
                  </Button>
                </Space>
              </div>
            </Card>
          ))}
        </div>
      )}
      {prompt && <TextPromptDialog prompt={prompt} onClose={() => setPrompt(null)} />}
    </div>
  );
}
