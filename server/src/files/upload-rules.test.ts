// Upload rules: the size limit from the environment, cleaned names and media types, the download disposition.
import { describe, expect, it } from "vitest";
import { cleanContentType, cleanFileName, contentDisposition, uploadLimitBytes } from "./upload-rules";
import { fileIdsOf } from "./attachments";

describe("uploadLimitBytes", () => {
  it.each([
    [{}, 20 * 1024 * 1024],
    [{ UPLOAD_MAX_MB: "" }, 20 * 1024 * 1024],
    [{ UPLOAD_MAX_MB: "5" }, 5 * 1024 * 1024],
    [{ UPLOAD_MAX_MB: " 0.5 " }, 512 * 1024],
  ])("reads %j as %i bytes", (env, bytes) => {
    expect(uploadLimitBytes(env)).toBe(bytes);
  });

  it.each(["0", "-1", "abc", "Infinity"])("refuses UPLOAD_MAX_MB=%s at start-up", (value) => {
    expect(() => uploadLimitBytes({ UPLOAD_MAX_MB: value })).toThrow(/UPLOAD_MAX_MB/);
  });
});

describe("cleanFileName", () => {
  it.each([
    ["合同.pdf", "合同.pdf"],
    ["C:\\Users\\王磊\\报价单.xlsx", "报价单.xlsx"],
    ["../../etc/passwd", "passwd"],
    ["  a\u0000b\r\n.txt ", "ab.txt"],
    ["", "file"],
    [undefined, "file"],
    ["dir/", "file"],
  ])("%j → %j", (name, expected) => {
    expect(cleanFileName(name)).toBe(expected);
  });

  it("keeps at most 255 characters, counting a Chinese character as one", () => {
    expect([...cleanFileName("样".repeat(300))]).toHaveLength(255);
  });
});

describe("cleanContentType", () => {
  it.each([
    ["image/png", "image/png"],
    ["Application/PDF", "application/pdf"],
    ["text/plain; charset=utf-8", "text/plain"],
    ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["", "application/octet-stream"],
    [undefined, "application/octet-stream"],
    ["not a type", "application/octet-stream"],
    ["text/html\r\nx-injected: 1", "application/octet-stream"],
  ])("%j → %j", (declared, expected) => {
    expect(cleanContentType(declared)).toBe(expected);
  });
});

describe("contentDisposition", () => {
  it("always downloads, with an ASCII fallback and the UTF-8 name per RFC 5987", () => {
    expect(contentDisposition("报价 (2025)'s.pdf")).toBe(`attachment; filename="__ (2025)'s.pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%20%282025%29%27s.pdf`);
    expect(contentDisposition('a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
  });
});

describe("fileIdsOf", () => {
  it("takes the file ids of file items, in lower case, and ignores links and anything malformed", () => {
    const id = "5F0C8A3E-1B2C-4D5E-8F90-123456789ABC";
    expect(fileIdsOf([{ fileId: id, name: "a" }, { name: "b", url: "https://example.com/b" }, null, 3, { fileId: 7 }])).toEqual([id.toLowerCase()]);
    expect(fileIdsOf(null)).toEqual([]);
    expect(fileIdsOf({ fileId: id })).toEqual([]);
  });
});
