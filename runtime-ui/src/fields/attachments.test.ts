import { describe, expect, it } from "vitest";
import {
  attachmentItems,
  attachmentValue,
  filenameFromDisposition,
  formatFileSize,
  isFileItem,
  itemKey,
  safeLinkHref,
  withoutItem,
  withUploadedFile,
} from "./attachments";

const FILE_ID = "5f0c8a3e-1b2c-4d5e-8f90-123456789abc";
const file = { fileId: FILE_ID, name: "合同.pdf", size: 2048, contentType: "application/pdf" };
const link = { name: "规格书", url: "https://example.com/spec.pdf" };

describe("attachment values", () => {
  it("keeps uploaded files and old links, and leaves out what is malformed", () => {
    expect(attachmentItems([file, link, null, "x", { name: "no target" }, { fileId: FILE_ID }])).toEqual([file, link]);
    expect(attachmentItems(null)).toEqual([]);
    expect(attachmentItems({ name: "a", url: "b" })).toEqual([]);
    expect(isFileItem(file)).toBe(true);
    expect(isFileItem(link)).toBe(false);
  });

  it("adds an uploaded file once, removes by position, and stores no items as null", () => {
    const uploaded = { id: FILE_ID, name: "合同.pdf", size: 2048, contentType: "application/pdf" };
    const added = withUploadedFile([link], uploaded);
    expect(added).toEqual([link, file]);
    expect(withUploadedFile(added, uploaded)).toEqual(added);
    expect(withoutItem(added, 0)).toEqual([file]);
    expect(attachmentValue(withoutItem([file], 0))).toBeNull();
    expect(attachmentValue([file])).toEqual([file]);
  });

  it("gives files and links distinct keys", () => {
    expect(itemKey(file, 0)).toBe(`file:${FILE_ID}`);
    expect(itemKey(link, 1)).toBe("link:1:https://example.com/spec.pdf");
  });
});

describe("safeLinkHref", () => {
  it.each([
    ["https://example.com/a.pdf", "https://example.com/a.pdf"],
    [" HTTP://example.com ", "HTTP://example.com"],
    ["/files/spec.pdf", "/files/spec.pdf"],
    ["//evil.example.com/x", undefined],
    ["javascript:alert(1)", undefined],
    ["data:text/html,<b>x</b>", undefined],
  ])("%j → %j", (url, expected) => {
    expect(safeLinkHref(url)).toBe(expected);
  });
});

describe("formatFileSize", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KB"],
    [1536, "1.5 KB"],
    [20 * 1024 * 1024, "20 MB"],
    [undefined, ""],
    [-1, ""],
  ])("%j → %j", (bytes, expected) => {
    expect(formatFileSize(bytes)).toBe(expected);
  });
});

describe("filenameFromDisposition", () => {
  it("decodes the RFC 5987 name and falls back to the item's name", () => {
    expect(filenameFromDisposition(`attachment; filename="__.pdf"; filename*=UTF-8''%E5%90%88%E5%90%8C%20%281%29.pdf`, "x")).toBe("合同 (1).pdf");
    expect(filenameFromDisposition(`attachment; filename="a.pdf"`, "合同.pdf")).toBe("合同.pdf");
    expect(filenameFromDisposition(null, "合同.pdf")).toBe("合同.pdf");
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E5%90", "合同.pdf")).toBe("合同.pdf");
  });
});
