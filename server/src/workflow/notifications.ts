// Notifications: in-app per user (sys.notifications), plus email / SMS senders behind one interface that logs by default.
import type { Knex } from "knex";
import type { LocalizedText } from "@crm/metadata";

export type Channel = "in_app" | "email" | "sms";

export interface OutgoingMessage {
  channel: Exclude<Channel, "in_app">;
  userId: string;
  message: LocalizedText;
  object?: string;
  recordId?: string;
}

/** Sends email or SMS; deployments replace the logging sender with a gateway. */
export interface MessageSender {
  send(message: OutgoingMessage): Promise<void>;
}

/** The default: writes one line per message, so development and tests need no gateway. */
export const loggingSender: MessageSender & { sent: OutgoingMessage[] } = {
  sent: [],
  async send(message) {
    this.sent.push(message);
    if (this.sent.length > 1000) this.sent.shift();
    if (process.env.LOG_MESSAGES === "1") console.log(`[${message.channel}] to ${message.userId}: ${message.message["zh-CN"]}`);
  },
};

let sender: MessageSender = loggingSender;

export function useMessageSender(replacement: MessageSender): void {
  sender = replacement;
}

export interface Notification {
  userIds: readonly string[];
  message: LocalizedText;
  object?: string;
  recordId?: string;
  channels?: readonly Channel[];
}

/** In-app rows are written in the caller's transaction; external messages go out after it is known to commit. */
export async function notify(trx: Knex, notification: Notification): Promise<OutgoingMessage[]> {
  const channels = notification.channels ?? ["in_app"];
  if (notification.userIds.length === 0) return [];
  if (channels.includes("in_app")) {
    await trx("notifications")
      .withSchema("sys")
      .insert(
        notification.userIds.map((userId) => ({
          user_id: userId,
          object: notification.object ?? null,
          record_id: notification.recordId ?? null,
          message: JSON.stringify(notification.message),
        })),
      );
  }
  return channels
    .filter((channel): channel is OutgoingMessage["channel"] => channel !== "in_app")
    .flatMap((channel) => notification.userIds.map((userId) => ({ channel, userId, message: notification.message, object: notification.object, recordId: notification.recordId })));
}

export async function sendAll(messages: readonly OutgoingMessage[]): Promise<void> {
  for (const message of messages) await sender.send(message);
}

export interface NotificationView {
  id: string;
  object: string | null;
  recordId: string | null;
  message: LocalizedText;
  createdAt: string;
  read: boolean;
}

export async function listNotifications(db: Knex, userId: string, options: { unreadOnly?: boolean; limit?: number } = {}): Promise<NotificationView[]> {
  const query = db("notifications").withSchema("sys").where({ user_id: userId }).orderBy([{ column: "created_at", order: "desc" }, { column: "id" }]).limit(options.limit ?? 100);
  if (options.unreadOnly) query.whereNull("read_at");
  const rows = await query.select("id", "object", "record_id", "message", "created_at", "read_at");
  return rows.map((row) => ({ id: row.id, object: row.object, recordId: row.record_id, message: row.message, createdAt: row.created_at, read: row.read_at !== null }));
}

/** Marks one of the user's notifications read; false when it is not theirs (or does not exist). */
export async function markNotificationRead(db: Knex, userId: string, id: string): Promise<boolean> {
  const updated = await db("notifications").withSchema("sys").where({ id, user_id: userId }).update({ read_at: db.raw("coalesce(read_at, now())") });
  return Number(updated) > 0;
}

/** Marks every unread notification of the user read, up to `before` (what they saw); answers how many changed. */
export async function markAllNotificationsRead(db: Knex, userId: string, before: Date = new Date()): Promise<number> {
  const updated = await db("notifications").withSchema("sys").where({ user_id: userId }).whereNull("read_at").where("created_at", "<=", before).update({ read_at: db.raw("now()") });
  return Number(updated);
}
