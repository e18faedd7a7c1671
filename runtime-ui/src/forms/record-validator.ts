// The ajv validator of record forms: rjsf's ajv8 validator plus the server's maxScale keyword, so that a number
// the server would round away is flagged before saving. One instance: ajv caches each compiled form schema.
import { customizeValidator } from "@rjsf/validator-ajv8";

/** Whether `value` has at most `scale` digits after the point (the server's numeric(18, scale) columns). */
export function fitsScale(value: number, scale: number): boolean {
  const scaled = value * 10 ** scale;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, Math.abs(scaled));
}

interface KeywordValidate {
  (scale: number, value: number): boolean;
  errors?: { keyword: string; message: string; params: Record<string, unknown> }[];
}

const maxScale: KeywordValidate = (scale, value) => {
  if (fitsScale(value, scale)) return true;
  maxScale.errors = [{ keyword: "maxScale", message: `must have at most ${scale} decimal places`, params: { limit: scale } }];
  return false;
};

export const recordValidator = customizeValidator({
  extenderFn: (ajv) => {
    ajv.addKeyword({ keyword: "maxScale", type: "number", schemaType: "number", errors: true, validate: maxScale });
    return ajv;
  },
});
