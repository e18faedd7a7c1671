// A sent email or SMS is recorded as a completed activity (活动记录) on the record's customer and contact.
import type { Knex } from "knex";
import type { CompiledObject } from "../registry/model";
import type { RecordsContext } from "../records/read";
import { createRecords } from "../records/service";
import { unrestrictedAccess } from "../records/access-guard";
import type { OutgoingMessage } from "./notifications";
import type { RecordValues } from "./interpreter";

/** The activity object and the fields a message activity writes (the standard activity's names). */
export const MESSAGE_ACTIVITY = { object: "activity", type: "message", subject: "subject", typeField: "activity_type", status: "status", done: "completed", start: "start_at", plan: "plan" } as const;

const CHANNEL_NAMES = { email: { "zh-CN": "邮件", en: "Email" }, sms: { "zh-CN": "短信", en: "SMS" } } as const;

/**
 * The activity's links: every lookup of the activity object to the record's object points at the record, and the
 * record's own customer and contact are carried over. Answers null when the message concerns no customer or contact.
 */
export function messageLinks(activity: CompiledObject, object: CompiledObject, record: RecordValues): RecordValues | null {
  const links: RecordValues = {};
  for (const field of activity.definition.fields) {
    if (field.type === "lookup" && field.target === object.name) links[field.name] = record.id;
  }
  for (const name of ["customer_id", "contact_id"]) {
    if (record[name] && activity.columnByName.has(name) && links[name] === undefined) links[name] = record[name];
  }
  return links.customer_id || links.contact_id ? links : null;
}

/**
 * Writes one completed activity per email / SMS in the effect's transaction, so the record commits with the effect
 * whose messages go out after the commit (a retried job, whose effects are keyed, records nothing twice). Owned by
 * the recipient's employee (else the record's owner). The platform records what it did: the write is the system's,
 * stamped with the acting user, not limited by their rights on activities.
 */
export async function recordSentMessages(input: { trx: Knex.Transaction; context: RecordsContext; object: CompiledObject; record: RecordValues; messages: readonly OutgoingMessage[] }): Promise<number> {
  const { trx, context, object, record, messages } = input;
  const activity = context.model.objects.get(MESSAGE_ACTIVITY.object);
  const links = activity && messages.length ? messageLinks(activity, object, record) : null;
  if (!activity || !links) return 0;
  const users = await trx("users").withSchema("sys").whereIn("id", [...new Set(messages.map((message) => message.userId))]).select("id", "employee_id", "display_name", "locale");
  const byId = new Map(users.map((user) => [user.id as string, user]));
  const sentAt = new Date().toISOString();
  const bodies = messages.map((message) => {
    const recipient = byId.get(message.userId);
    // The recipient owns the activity and reads its subject in their language.
    const locale = recipient?.locale === "en" ? "en" : "zh-CN";
    return {
      [MESSAGE_ACTIVITY.subject]: `[${CHANNEL_NAMES[message.channel][locale]}] ${message.message[locale]}`.slice(0, 200),
      [MESSAGE_ACTIVITY.typeField]: MESSAGE_ACTIVITY.type,
      [MESSAGE_ACTIVITY.status]: MESSAGE_ACTIVITY.done,
      [MESSAGE_ACTIVITY.start]: sentAt,
      [MESSAGE_ACTIVITY.plan]: `${CHANNEL_NAMES[message.channel]["zh-CN"]}发送给 ${recipient?.display_name ?? message.userId}：${message.message["zh-CN"]}\n${message.message.en}`,
      owner_id: recipient?.employee_id ?? record.owner_id ?? null,
      ...links,
    };
  });
  const system: RecordsContext = { ...context, db: trx, access: unrestrictedAccess(context.actor) };
  await createRecords(system, activity.name, bodies, (index) => `/messages/${index}`);
  return bodies.length;
}
