// An attachment field: upload files to /api/files, list them as downloads, remove them while editing.
import { useRef, useState } from "react";
import { App, Button, Typography, Upload, type UploadProps } from "antd";
import { DeleteOutlined, LinkOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { ApiError, downloadRecordFile, uploadFile } from "../api/client";
import { useI18n } from "../i18n/locale";
import { parseRoute, usePathname } from "../routing/router";
import { attachmentItems, attachmentValue, formatFileSize, isFileItem, itemKey, safeLinkHref, withoutItem, withUploadedFile, type AttachmentItem, type FileItem } from "./attachments";
import type { WidgetProps } from "./FieldWidget";

/**
 * The record whose files these are, taken from the route: the download route checks the record (and its lines),
 * so a line's file downloads through the master record shown on the screen. A new record has none yet.
 */
function useShownRecord(): { object: string; id: string } | null {
  const route = parseRoute(usePathname());
  return route.screen === "record" && route.id ? { object: route.object, id: route.id } : null;
}

export function AttachmentWidget({ value, onChange, disabled, id }: WidgetProps) {
  const { t, text } = useI18n();
  const { message } = App.useApp();
  const record = useShownRecord();
  const items = attachmentItems(value);
  // Uploads that finish together must each add to the newest list, not to the one they started with.
  const latest = useRef(items);
  latest.current = items;
  // Files uploaded here are not on the saved record until it is saved: their 404 means "save first".
  const unsaved = useRef(new Set<string>());
  const [uploading, setUploading] = useState(0);

  const change = (next: AttachmentItem[]) => {
    latest.current = next;
    onChange?.(attachmentValue(next));
  };
  const failed = (caught: unknown) => message.error(caught instanceof ApiError ? text(caught.messages) : t("networkError"));

  const upload: UploadProps["customRequest"] = async ({ file, onSuccess, onError }) => {
    setUploading((count) => count + 1);
    try {
      const uploaded = await uploadFile(file as File);
      unsaved.current.add(uploaded.id);
      change(withUploadedFile(latest.current, uploaded));
      onSuccess?.(uploaded);
    } catch (caught) {
      failed(caught);
      onError?.(caught as Error);
    } finally {
      setUploading((count) => count - 1);
    }
  };

  const download = async (item: FileItem) => {
    if (!record) {
      message.info(t("attachmentSaveToDownload"));
      return;
    }
    try {
      await downloadRecordFile({ ...record, fileId: item.fileId, name: item.name });
    } catch (caught) {
      const notSavedYet = caught instanceof ApiError && caught.status === 404 && unsaved.current.has(item.fileId);
      if (notSavedYet) message.info(t("attachmentSaveToDownload"));
      else failed(caught);
    }
  };

  return (
    <div id={id} className="attachment-field">
      {items.length === 0 && disabled && <Typography.Text type="secondary">{t("attachmentNone")}</Typography.Text>}
      {items.map((item, index) => {
        const href = isFileItem(item) ? undefined : safeLinkHref(item.url);
        return (
          <div key={itemKey(item, index)} className="attachment-item" style={{ display: "flex", alignItems: "center", gap: 6 }}>
            {isFileItem(item) ? <PaperClipOutlined /> : <LinkOutlined />}
            {isFileItem(item) ? (
              <Typography.Link onClick={() => void download(item)} title={t("attachmentDownload", { name: item.name })}>
                {item.name}
              </Typography.Link>
            ) : href ? (
              <Typography.Link href={href} target="_blank" rel="noreferrer">
                {item.name}
              </Typography.Link>
            ) : (
              <Typography.Text>{item.name}</Typography.Text>
            )}
            {item.size !== undefined && <Typography.Text type="secondary">{formatFileSize(item.size)}</Typography.Text>}
            {!disabled && (
              <Button
                type="text"
                size="small"
                icon={<DeleteOutlined />}
                aria-label={t("attachmentRemove", { name: item.name })}
                onClick={() => change(withoutItem(latest.current, index))}
              />
            )}
          </div>
        );
      })}
      {!disabled && (
        <Upload multiple showUploadList={false} customRequest={upload}>
          <Button icon={<UploadOutlined />} loading={uploading > 0} style={{ marginTop: items.length ? 4 : 0 }}>
            {uploading > 0 ? t("attachmentUploading") : t("attachmentUpload")}
          </Button>
        </Upload>
      )}
    </div>
  );
}
