// Turns a failed action into one readable sentence: the server's message, then each detail's path and message.
import { ApiError } from "../../api/client";
import type { LocalizedText } from "../../api/types";

export function actionErrorText(caught: unknown, text: (label: LocalizedText | undefined, fallback?: string) => string, networkError: string): string {
  if (!(caught instanceof ApiError)) return networkError;
  const main = text(caught.messages);
  const details = caught.details.map((detail) => {
    const message = typeof detail.message === "string" ? detail.message : text(detail.message);
    return detail.path ? `${detail.path}: ${message}` : message;
  });
  const extra = details.filter((detail) => !main.includes(detail));
  return extra.length ? `${main}（${extra.join("；")}）` : main;
}
