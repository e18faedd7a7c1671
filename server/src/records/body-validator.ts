// ajv validators of record bodies, compiled once per object per model version, with bilingual error details.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import localizeZh from "ajv-i18n/localize/zh";
import type { CompiledObject } from "../registry/model";
import { validationFailed, type ErrorDetail } from "../errors/errors";
import { isComputedField, writeSchema } from "./record-schema";

type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: false });
addFormats(ajv);
ajv.addKeyword({
  keyword: "maxScale",
  type: "number",
  schemaType: "number",
  // Amounts are stored as numeric(18, scale): more decimals would be rounded away silently.
  validate: (scale: number, value: number) => {
    const scaled = value * 10 ** scale;
    return Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, Math.abs(scaled));
  },
  error: { message: (context) => `must have at most ${context.schema} decimal places` },
});

const cache = new WeakMap<CompiledObject, { create?: ValidateFunction; update?: ValidateFunction }>();

function validatorFor(object: CompiledObject, mode: "create" | "update"): ValidateFunction {
  let entry = cache.get(object);
  if (!entry) cache.set(object, (entry = {}));
  return (entry[mode] ??= ajv.compile(writeSchema(object, mode)));
}

function errorPath(error: ErrorObject): string {
  if (error.keyword === "additionalProperties") return `${error.instancePath}/${String(error.params.additionalProperty)}`;
  if (error.keyword === "required") return `${error.instancePath}/${String(error.params.missingProperty)}`;
  return error.instancePath;
}

function zhMessage(error: ErrorObject, localized: ErrorObject): string {
  if (error.keyword === "additionalProperties") return `未知字段 "${String(error.params.additionalProperty)}"`;
  if (error.keyword === "maxScale") return `小数位数不能超过 ${String(error.schema)} 位`;
  return localized.message ?? error.message ?? "";
}

export function errorsToDetails(errors: readonly ErrorObject[], prefix = ""): ErrorDetail[] {
  // A nullable enum reports "type" and "enum" for one wrong value; keep the more precise one.
  const relevant = errors.filter((error) => error.keyword !== "if");
  const localized = relevant.map((error) => ({ ...error }));
  localizeZh(localized);
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  relevant.forEach((error, index) => {
    const path = prefix + errorPath(error);
    const en = error.keyword === "additionalProperties" ? `unknown field "${String(error.params.additionalProperty)}"` : (error.message ?? "");
    const key = `${path}|${en}`;
    if (seen.has(key)) return;
    seen.add(key);
    details.push({ path, message: { "zh-CN": zhMessage(error, localized[index]), en } });
  });
  return details;
}

/** Throws VALIDATION_FAILED with every problem of the body at once. */
export function assertValidBody(object: CompiledObject, mode: "create" | "update", body: unknown, pathPrefix = ""): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw validationFailed([{ path: pathPrefix || "/", message: { "zh-CN": "请求体必须是 JSON 对象", en: "The body must be a JSON object" } }]);
  }
  const computed = Object.keys(body).filter((name) => isComputedField(object, name));
  const validate = validatorFor(object, mode);
  const details = computed.map((name) => ({
    path: `${pathPrefix}/${name}`,
    message: { "zh-CN": `字段 "${name}" 由系统计算，不能写入`, en: `Field "${name}" is computed by the server and cannot be written` },
  }));
  const bodyWithoutComputed = Object.fromEntries(Object.entries(body).filter(([name]) => !computed.includes(name)));
  if (!validate(bodyWithoutComputed)) details.push(...errorsToDetails(validate.errors ?? [], pathPrefix));
  if (details.length) throw validationFailed(details);
}
