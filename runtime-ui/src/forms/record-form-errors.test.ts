import { describe, expect, it } from "vitest";
import type { RJSFValidationError } from "@rjsf/utils";
import type { FieldDefinition, LocalizedText } from "../api/types";
import { interpolate } from "../i18n/locale";
import { MESSAGES, type MessageKey } from "../i18n/messages";
import type { ScreenField } from "../layout/fields";
import { placeErrors } from "../screens/record-form";
import { errorPath, extraErrorsOf, lineErrorsOf, localizeErrors, type ErrorContext } from "./record-form-errors";
import { buildRecordForm } from "./record-form-schema";
import { recordValidator } from "./record-validator";

const field = (definition: Partial<FieldDefinition> & { name: string }, readOnly = false): [string, ScreenField] => [
  definition.name,
  { definition: { type: "text", label: { "zh-CN": `${definition.name}名`, en: `${definition.name} label` }, ...definition }, system: false, readOnly, serverFilled: false },
];
const fields = new Map([
  field({ name: "name", required: true }),
  field({ name: "email", type: "email" }),
  field({ name: "credit_limit", type: "amount" }),
  field({ name: "status", type: "picklist" }),
  field({ name: "code", type: "auto_number" }, true),
  field({ name: "lines", type: "master_detail", target: "order_line" }),
]);
const zh = (label: LocalizedText | undefined, fallback = "") => label?.["zh-CN"] ?? fallback;
const t = (key: MessageKey, values?: Record<string, string | number>) => interpolate(MESSAGES[key]["zh-CN"], values);
const context = (values: ErrorContext["values"], original: ErrorContext["original"] = null): ErrorContext => ({ fields, values, original, t, text: zh });
const error = (property: string, name: string, params: Record<string, unknown> = {}): RJSFValidationError => ({ property, name, params, message: `ajv says ${name}`, stack: "" });

describe("errorPath", () => {
  it("reads rjsf's property paths, with or without the leading dot", () => {
    expect(errorPath(".lines.0.quantity")).toEqual(["lines", "0", "quantity"]);
    expect(errorPath("name")).toEqual(["name"]);
    expect(errorPath(undefined)).toEqual([]);
  });
});

describe("localizeErrors", () => {
  it("rewords errors in the user's language, naming the field when a value is missing", () => {
    const values = { name: null, email: "x", credit_limit: 1.234, lines: [{ quantity: null, product: "长长长" }] };
    const errors = [
      error(".name", "type"),
      error(".email", "format"),
      error(".credit_limit", "maxScale", { limit: 2 }),
      error(".lines.0.quantity", "type"),
      error(".lines.0.product", "maxLength", { limit: 2 }),
    ];
    expect(localizeErrors(errors, context(values)).map((found) => [found.property, found.message])).toEqual([
      [".name", "name名为必填项"],
      [".email", "格式不正确"],
      [".credit_limit", "小数位数不能超过 2 位"],
      [".lines.0.quantity", "必填"],
      [".lines.0.product", "不能超过 2 个字符"],
    ]);
  });

  it("keeps one error per value (a nullable enum reports type and enum together)", () => {
    const found = localizeErrors([error(".status", "type"), error(".status", "enum")], context({ status: 5 }));
    expect(found.map((item) => item.message)).toEqual(["值无效"]);
  });

  it("drops errors on read-only fields and, when editing, on fields the save would not send", () => {
    const original = { id: "1", version: 1, name: "甲", email: "old-invalid", code: "C-1" };
    const values = { ...original, name: "", code: "changed" };
    const found = localizeErrors([error(".email", "format"), error(".code", "type"), error(".name", "minLength", { limit: 1 })], context(values, original));
    expect(found.map((item) => item.property)).toEqual([".name"]);
  });

  it("keeps a missing required field of a new record", () => {
    expect(localizeErrors([error("name", "required")], context({})).map((item) => item.message)).toEqual(["name名为必填项"]);
  });
});

describe("server errors as rjsf extraErrors", () => {
  const details = [
    { path: "/email", message: { "zh-CN": "邮箱已被使用", en: "The email is taken" } },
    { path: "/lines/1/quantity", message: "数量必须大于 0" },
    { path: "/lines/1/product", message: "产品不存在" },
    { path: "/lines", message: "至少一行" },
    { path: "/bank_account", message: "不可见的字段" },
  ];

  it("puts field errors on the field and line errors on the line's cell", () => {
    const placed = placeErrors(details, fields, zh);
    expect(extraErrorsOf(placed)).toEqual({
      email: { __errors: ["邮箱已被使用"] },
      lines: { __errors: ["至少一行"], 1: { quantity: { __errors: ["数量必须大于 0"] }, product: { __errors: ["产品不存在"] } } },
    });
    expect(placed.general).toEqual(["不可见的字段"]);
  });

  it("reads the cell errors of a lines field back by index/column for LinesTable", () => {
    const schema = extraErrorsOf(placeErrors(details, fields, zh)) as Record<string, never>;
    expect([...lineErrorsOf(schema.lines)]).toEqual([
      ["1/quantity", "数量必须大于 0"],
      ["1/product", "产品不存在"],
    ]);
    expect(lineErrorsOf(undefined).size).toBe(0);
  });
});

describe("client validation end to end (schema → ajv → localizeErrors)", () => {
  it("lets through what the server accepts: empty optional fields and cleared lookups", () => {
    const describe = {
      recordSchema: {
        properties: {
          name: { type: ["string", "null"], maxLength: 10 },
          email: { type: ["string", "null"], format: "email" },
          credit_limit: { type: ["number", "null"], maxScale: 2 },
        },
      },
    };
    const sections = [{ name: "basic", label: { "zh-CN": "基本", en: "Basic" }, fields: ["name", "email", "credit_limit"].map((name, y) => ({ field: name, x: 0, y, w: 6, h: 1 })) }];
    const { schema } = buildRecordForm({ describe, sections, fields, creating: true, text: zh });
    const validate = (values: Record<string, unknown>) => localizeErrors(recordValidator.validateFormData(values, schema).errors, context(values)).map((item) => item.message);
    expect(validate({ name: "甲", email: null, credit_limit: null })).toEqual([]);
    expect(validate({ name: "甲", email: undefined })).toEqual([]);
    expect(validate({ email: "a@b.cn", credit_limit: 12.5 })).toEqual(["name名为必填项"]);
    expect(validate({ name: "甲乙丙丁戊己庚辛壬癸子", credit_limit: 0.125 })).toEqual(["不能超过 10 个字符", "小数位数不能超过 2 位"]);
  });
});
