// Attachment values (pure): uploaded-file items and the older typed links, as the widget and the cells show them.

/** A file uploaded through POST /api/files; the server fills in its name, size and type. */
export interface FileItem {
  fileId: string;
  name: string;
  size?: number;
  contentType?: string;
}

/** A link typed in before uploads existed: still shown, still saved as it is. */
export interface LinkItem {
  name: string;
  url: string;
  size?: number;
  contentType?: string;
}

export type AttachmentItem = FileItem | LinkItem;

export interface UploadedFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

export const isFileItem = (item: AttachmentItem): item is FileItem => typeof (item as FileItem).fileId === "string";

/** The well-formed items of a stored value (anything else is left out rather than breaking the form). */
export function attachmentItems(value: unknown): AttachmentItem[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is AttachmentItem => {
    if (typeof item !== "object" || item === null || typeof item.name !== "string") return false;
    return typeof item.fileId === "string" || typeof item.url === "string";
  });
}

/** The value to store: no items is no value (null), like empty text. */
export const attachmentValue = (items: readonly AttachmentItem[]): AttachmentItem[] | null => (items.length ? [...items] : null);

/** The items with a just-uploaded file added once. */
export function withUploadedFile(items: readonly AttachmentItem[], uploaded: UploadedFile): AttachmentItem[] {
  if (items.some((item) => isFileItem(item) && item.fileId === uploaded.id)) return [...items];
  return [...items, { fileId: uploaded.id, name: uploaded.name, size: uploaded.size, contentType: uploaded.contentType }];
}

export const withoutItem = (items: readonly AttachmentItem[], index: number): AttachmentItem[] => items.filter((_, position) => position !== index);

export const itemKey = (item: AttachmentItem, index: number): string => (isFileItem(item) ? `file:${item.fileId}` : `link:${index}:${item.url}`);

/** Only web links open from a link item: a typed `javascript:` URL must never become a clickable link. */
export function safeLinkHref(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  if (trimmed.startsWith("/") && !trimmed.startsWith("//")) return trimmed;
  return undefined;
}

const UNITS = ["B", "KB", "MB", "GB"];

export function formatFileSize(bytes: number | undefined): string {
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) return "";
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} B` : `${size < 10 ? size.toFixed(1) : Math.round(size)} ${UNITS[unit]}`;
}

/** The name a download is saved under: the RFC 5987 filename* of the answer, else the item's own name. */
export function filenameFromDisposition(disposition: string | null, fallback: string): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? "")?.[1];
  if (!encoded) return fallback;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return fallback;
  }
}
