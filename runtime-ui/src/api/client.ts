// The HTTP client of the runtime UI: adds the sign-in token and language, and turns error JSON into ApiError.
import type { CurrentUser, ErrorDetail, HistoryEntry, ListResult, LocalizedText, ObjectDescribe, OptionSetDefinition, RecordValues } from "./types";
import { storedLocale } from "../i18n/locale";
import { filenameFromDisposition, type UploadedFile } from "../fields/attachments";

const TOKEN_KEY = "crm.token";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: LocalizedText,
    readonly details: ErrorDetail[],
  ) {
    super(messages["zh-CN"]);
  }
}

/** Listeners told when the server no longer accepts the token, so the shell can show the login screen. */
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export const session = {
  token: () => localStorage.getItem(TOKEN_KEY),
  save: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/**
 * A request started ahead of the screen that will want its answer (the metadata, a list's first page), with that
 * answer once it has arrived, and the session it was asked in: a visit that signed in again meanwhile (the token
 * had expired) asks afresh.
 */
export interface AskedAhead<T> {
  token: string | null;
  promise: Promise<T>;
  arrived?: T;
}

export function askAhead<T>(promise: Promise<T>): AskedAhead<T> {
  const entry: AskedAhead<T> = { token: session.token(), promise };
  // A failure is the screen's to show when it takes the promise; not an unhandled rejection before that.
  promise.then((answer) => (entry.arrived = answer)).catch(() => undefined);
  return entry;
}

/** The entry when it was asked in the current session. */
export const askedThisSession = <Entry extends AskedAhead<unknown>>(entry: Entry | null): Entry | null => (entry?.token === session.token() ? entry : null);

async function toApiError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; messages?: LocalizedText; details?: ErrorDetail[] } } | null;
  const error = body?.error;
  const fallback = `HTTP ${response.status}`;
  const messages = error?.messages ?? { "zh-CN": error?.message ?? fallback, en: error?.message ?? fallback };
  return new ApiError(response.status, error?.code ?? "HTTP_ERROR", messages, error?.details ?? []);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { "accept-language": storedLocale() };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && path !== "/api/auth/login") {
    session.clear();
    for (const listener of signedOutListeners) listener();
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export interface ListQuery {
  q?: string;
  sort?: string;
  filter?: unknown;
  cursor?: string | null;
  limit?: number;
  count?: boolean;
}

export function listQueryString(query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.sort) params.set("sort", query.sort);
  if (query.filter !== undefined) params.set("filter", JSON.stringify(query.filter));
  if (query.cursor) params.set("cursor", query.cursor);
  if (query.limit) params.set("limit", String(query.limit));
  if (query.count) params.set("count", "true");
  const text = params.toString();
  return text ? `?${text}` : "";
}

const objectPath = (object: string) => `/api/objects/${encodeURIComponent(object)}`;
const recordPath = (object: string, id: string) => `${objectPath(object)}/records/${encodeURIComponent(id)}`;

export const api = {
  login: (username: string, password: string) => request<{ token: string; user: CurrentUser }>("POST", "/api/auth/login", { username, password }),
  logout: () => request<{ ok: boolean }>("POST", "/api/auth/logout"),
  me: () => request<CurrentUser>("GET", "/api/auth/me"),
  objects: () => request<{ version: number; objects: ObjectDescribe[] }>("GET", "/api/metadata/objects"),
  describe: (object: string) => request<ObjectDescribe>("GET", `/api/metadata/objects/${encodeURIComponent(object)}`),
  optionSets: () => request<{ optionSets: OptionSetDefinition[] }>("GET", "/api/metadata/option-sets"),
  list: (object: string, query: ListQuery = {}) => request<ListResult>("GET", `${objectPath(object)}/records${listQueryString(query)}`),
  get: (object: string, id: string) => request<RecordValues>("GET", recordPath(object, id)),
  create: (object: string, values: RecordValues) => request<RecordValues>("POST", `${objectPath(object)}/records`, values),
  update: (object: string, id: string, values: RecordValues) => request<RecordValues>("PATCH", recordPath(object, id), values),
  related: (object: string, id: string, relation: string, query: ListQuery = {}) =>
    request<ListResult>("GET", `${recordPath(object, id)}/related/${encodeURIComponent(relation)}${listQueryString(query)}`),
  access: (object: string, id: string) => request<{ edit: { allowed: boolean; reason: LocalizedText } }>("GET", `${recordPath(object, id)}/access`),
  history: (object: string, id: string) => request<{ history: HistoryEntry[] }>("GET", `${recordPath(object, id)}/history`),
  runAction: (object: string, id: string, action: string, body: unknown = {}) =>
    request<unknown>("POST", `${recordPath(object, id)}/actions/${encodeURIComponent(action)}`, body),
  /** The export answers a file: the same filter, sort and search as the list, without paging. */
  exportUrl: (object: string, query: ListQuery, format: "csv" | "xlsx") => {
    const params = new URLSearchParams(listQueryString({ q: query.q, sort: query.sort, filter: query.filter }).slice(1));
    params.set("format", format);
    return `${objectPath(object)}/export?${params}`;
  },
};

export async function downloadExport(object: string, query: ListQuery, format: "csv" | "xlsx"): Promise<void> {
  const headers: Record<string, string> = { "accept-language": storedLocale() };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(api.exportUrl(object, query, format), { headers });
  if (!response.ok) throw await toApiError(response);
  const disposition = response.headers.get("content-disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = encoded ? decodeURIComponent(encoded) : `${object}.${format}`;
  link.click();
  URL.revokeObjectURL(link.href);
}

const authorizationHeaders = (): Record<string, string> => {
  const token = session.token();
  return { "accept-language": storedLocale(), ...(token ? { authorization: `Bearer ${token}` } : {}) };
};

/** Uploads one file for an attachment field (multipart); a record refers to it by id once saved. */
export async function uploadFile(file: File): Promise<UploadedFile> {
  const form = new FormData();
  form.append("file", file, file.name);
  const response = await fetch("/api/files", { method: "POST", headers: authorizationHeaders(), body: form });
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as UploadedFile;
}

export const recordFileUrl = (object: string, id: string, fileId: string) => `${recordPath(object, id)}/files/${encodeURIComponent(fileId)}`;

/**
 * Downloads a file a record holds. The route needs the bearer token, which a plain link cannot send, so the
 * file is fetched and handed to the browser as a blob (files are at most the upload limit, 20 MB by default).
 */
export async function downloadRecordFile(input: { object: string; id: string; fileId: string; name: string }): Promise<void> {
  const response = await fetch(recordFileUrl(input.object, input.id, input.fileId), { headers: authorizationHeaders() });
  if (!response.ok) throw await toApiError(response);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = filenameFromDisposition(response.headers.get("content-disposition"), input.name);
  link.click();
  // Revoked a moment later: revoking right after click() can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
