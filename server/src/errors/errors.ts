// The one error registry: every error the API can answer has a stable code, a status and zh-CN / en text.
import type { LocalizedText } from "@crm/metadata";

export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, message: { "zh-CN": "请求数据校验失败", en: "The request is not valid" } },
  MALFORMED_REQUEST: { status: 400, message: { "zh-CN": "请求格式错误", en: "The request is malformed" } },
  INVALID_METADATA: { status: 400, message: { "zh-CN": "元数据定义无效", en: "The metadata definition is not valid" } },
  DESTRUCTIVE_CHANGE_NOT_CONFIRMED: {
    status: 400,
    message: {
      "zh-CN": "该变更会删除或截断数据，需要显式确认（confirm=1）",
      en: "This change drops or narrows data and must be confirmed explicitly (confirm=1)",
    },
  },
  SCHEMA_CAST_FAILED: { status: 422, message: { "zh-CN": "已有数据无法转换为新类型", en: "Existing values cannot be converted to the new type" } },
  DUPLICATE_VALUE: { status: 400, message: { "zh-CN": "值已存在，必须唯一", en: "The value already exists and must be unique" } },
  UNAUTHENTICATED: { status: 401, message: { "zh-CN": "请先登录", en: "Sign in first" } },
  INVALID_CREDENTIALS: { status: 401, message: { "zh-CN": "用户名或密码错误", en: "Wrong username or password" } },
  FORBIDDEN: { status: 403, message: { "zh-CN": "没有权限执行该操作", en: "You are not allowed to do this" } },
  FIELD_HIDDEN: {
    status: 403,
    message: { "zh-CN": "所需的字段对您不可见", en: "A field this needs is hidden from you" },
  },
  NOT_FOUND: { status: 404, message: { "zh-CN": "对象或记录不存在", en: "Not found" } },
  PRINT_TEMPLATE_NOT_FOUND: { status: 404, message: { "zh-CN": "打印模板不存在", en: "The print template does not exist" } },
  VERSION_CONFLICT: {
    status: 409,
    message: { "zh-CN": "记录已被他人修改，请刷新后重试", en: "The record was changed by someone else; reload and try again" },
  },
  // 423 rather than 409: a client that reloads and retries on a version conflict would loop on a lock.
  RECORD_LOCKED: {
    status: 423,
    message: { "zh-CN": "记录正在审批中，已锁定，不能修改", en: "The record is locked while it is under approval" },
  },
  WORKFLOW_TRANSITION_NOT_ALLOWED: {
    status: 422,
    message: { "zh-CN": "当前状态下不能执行该操作", en: "This action is not possible in the record's current state" },
  },
  // The message names the rule, never the existing record: the writer may not be allowed to see it.
  DUPLICATE_RECORD: { status: 409, message: { "zh-CN": "已存在重复的记录", en: "A duplicate record already exists" } },
  RULE_VIOLATION: { status: 422, message: { "zh-CN": "不满足业务规则", en: "A business rule is not satisfied" } },
  FILE_TOO_LARGE: { status: 413, message: { "zh-CN": "上传的文件超过大小上限", en: "The uploaded file is larger than the upload limit" } },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    message: { "zh-CN": "登录失败次数过多，请稍后再试", en: "Too many failed sign-ins; try again later" },
  },
  DEMO_ORG_MISSING: {
    status: 409,
    message: { "zh-CN": "生成演示数据前需要先应用演示组织（业务员）", en: "Demo data needs the demo organisation (its salespeople) applied first" },
  },
  INTERNAL: { status: 500, message: { "zh-CN": "服务器内部错误", en: "Internal server error" } },
} as const satisfies Record<string, { status: number; message: LocalizedText }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  /** JSON pointer into the request (body, query parameter or metadata document). */
  path: string;
  message: LocalizedText;
  document?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];
  readonly localized: LocalizedText;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: { message?: LocalizedText; details?: ErrorDetail[]; headers?: Record<string, string> } = {}) {
    const localized = options.message ?? ERROR_CODES[code].message;
    super(localized.en);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = options.details ?? [];
    this.localized = localized;
    this.headers = options.headers ?? {};
  }
}

export const validationFailed = (details: ErrorDetail[], message?: LocalizedText) =>
  new AppError("VALIDATION_FAILED", { details, message });

export const notFound = (message?: LocalizedText) => new AppError("NOT_FOUND", { message });

export const forbidden = (message?: LocalizedText) => new AppError("FORBIDDEN", { message });
