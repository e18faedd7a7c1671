// What an upload may be and how a file is named on the way in and out (pure): size limit, name, type, disposition.
import { AppError, validationFailed } from "../errors/errors";

export const DEFAULT_UPLOAD_LIMIT_MB = 20;
const MAX_NAME_LENGTH = 255;

/** UPLOAD_MAX_MB (a positive number of megabytes, default 20) as bytes; a malformed value is a start-up error. */
export function uploadLimitBytes(env: Record<string, string | undefined> = process.env): number {
  const text = env.UPLOAD_MAX_MB?.trim();
  if (!text) return DEFAULT_UPLOAD_LIMIT_MB * 1024 * 1024;
  const megabytes = Number(text);
  if (!Number.isFinite(megabytes) || megabytes <= 0) throw new Error(`UPLOAD_MAX_MB must be a positive number of megabytes, not "${text}"`);
  return Math.floor(megabytes * 1024 * 1024);
}

const megabytes = (bytes: number) => `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;

export const fileTooLarge = (limitBytes: number) =>
  new AppError("FILE_TOO_LARGE", {
    details: [{ path: "/file", message: { "zh-CN": `文件不能超过 ${megabytes(limitBytes)}`, en: `A file may be at most ${megabytes(limitBytes)}` } }],
  });

export const emptyFile = () => validationFailed([{ path: "/file", message: { "zh-CN": "文件是空的", en: "The file is empty" } }]);

export const noFile = () =>
  validationFailed([{ path: "/file", message: { "zh-CN": "请以 multipart/form-data 上传一个文件", en: "Send one file as multipart/form-data" } }]);

/** The name as shown and downloaded: no folders, no control characters, at most 255 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return [...(cleaned || "file")].slice(0, MAX_NAME_LENGTH).join("");
}

/** The declared type when it is a plain `type/subtype`; anything else is served as opaque bytes. */
export function cleanContentType(declared: string | undefined): string {
  const type = (declared ?? "").split(";")[0].trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type) ? type : "application/octet-stream";
}

/**
 * RFC 6266 / 5987: an ASCII fallback for old clients and the UTF-8 name (Chinese names) percent-encoded,
 * including the characters encodeURIComponent leaves. Always `attachment`: an uploaded HTML file must never
 * render in the application's origin.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
