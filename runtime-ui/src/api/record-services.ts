// Typed calls of the server's services beyond records CRUD: workflow and approvals, notifications, the record
// overview (客户全貌), the calendar (员工日程) and print pages.
import { request } from "./client";
import type { LocalizedText, RecordValues } from "./types";
import { storedLocale } from "../i18n/locale";

export interface UserName {
  username: string;
  displayName: string;
}

export interface WorkflowTransition {
  name: string;
  label?: LocalizedText;
  to: string;
  /** Taking it starts an approval (提交审批). */
  approval: boolean;
}

export interface ApprovalTask {
  id: string;
  step: number;
  stepName: string | null;
  stepLabel: LocalizedText | null;
  mode: "all" | "any";
  approver: UserName | null;
  status: string;
  comment: string | null;
  decidedAt: string | null;
}

export interface WorkflowHistoryEntry {
  at: string;
  round: number;
  step: number | null;
  stepLabel: LocalizedText | null;
  action: string;
  actor: UserName | null;
  target: UserName | null;
  fromState: string | null;
  fromStateLabel: LocalizedText | null;
  toState: string | null;
  toStateLabel: LocalizedText | null;
  comment: string | null;
}

/** GET …/workflow: the record's state, what the caller may do with it, and its approval trail. */
export interface WorkflowView {
  workflow: string;
  state: string;
  stateLabel: LocalizedText;
  locked: boolean;
  approval: { status: string; round: number; step: number; stepName: string | null; stepLabel: LocalizedText | null } | null;
  transitions: WorkflowTransition[];
  /** approve / reject / add_approver / hand_over when the caller holds the current step's task. */
  actions: string[];
  tasks: ApprovalTask[];
  history: WorkflowHistoryEntry[];
}

export interface InboxTask {
  id: string;
  object: string;
  objectLabel: LocalizedText;
  workflowLabel: LocalizedText;
  recordId: string;
  title: string | null;
  state: string | null;
  stateLabel: LocalizedText | null;
  step: number;
  stepName: string | null;
  stepLabel: LocalizedText | null;
  mode: "all" | "any";
  submittedBy: UserName | null;
  createdAt: string;
}

export interface NotificationItem {
  id: string;
  object: string | null;
  recordId: string | null;
  message: LocalizedText;
  createdAt: string;
  read: boolean;
}

export interface RelatedSummary {
  relation: string;
  kind: "lookup" | "children";
  object: string;
  label: LocalizedText;
  total: number;
  latest: RecordValues[];
}

export interface RecordOverview {
  record: RecordValues;
  related: RelatedSummary[];
}

export interface CalendarAnswer {
  from: string;
  to: string;
  employee_id: string;
  activities: RecordValues[];
  truncated: boolean;
}

/** What an action answers: the record after it, records it created (CRM actions), the workflow after it (workflow actions). */
export interface ActionResult {
  record?: RecordValues;
  created?: Record<string, RecordValues>;
  workflow?: WorkflowView;
}

const recordPath = (object: string, id: string) => `/api/objects/${encodeURIComponent(object)}/records/${encodeURIComponent(id)}`;

export const services = {
  runAction: (object: string, id: string, action: string, body: unknown = {}) =>
    request<ActionResult>("POST", `${recordPath(object, id)}/actions/${encodeURIComponent(action)}`, body),
  workflow: (object: string, id: string) => request<WorkflowView>("GET", `${recordPath(object, id)}/workflow`),
  inbox: () => request<{ tasks: InboxTask[] }>("GET", "/api/approvals/inbox"),
  notifications: () => request<{ notifications: NotificationItem[] }>("GET", "/api/notifications"),
  markNotificationRead: (id: string) => request<{ id: string; read: boolean }>("POST", `/api/notifications/${encodeURIComponent(id)}/read`),
  markAllNotificationsRead: () => request<{ read: number }>("POST", "/api/notifications/read-all"),
  overview: (object: string, id: string) => request<RecordOverview>("GET", `${recordPath(object, id)}/overview`),
  calendar: (from: string, to: string) => request<CalendarAnswer>("GET", `/api/calendar?${new URLSearchParams({ from, to, time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "Asia/Shanghai" })}`),
  /** The print page is opened in a new tab, which sends the sign-in cookie rather than the bearer token. */
  printUrl: (object: string, id: string, template: string) =>
    `${recordPath(object, id)}/print?${new URLSearchParams({ template, ...(storedLocale() === "en" ? { locale: "en" } : {}) })}`,
};
