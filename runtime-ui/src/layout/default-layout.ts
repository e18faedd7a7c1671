// The layout a screen uses: the one the describe carries, else the metadata language's default computed here.
import type { ObjectDescribe } from "../api/types";
import type { ObjectLayout } from "./layout-types";
// Imported by path: the package entry also exports the ajv validators, which would be bundled for nothing.
import { defaultLayout } from "../../../metadata/src/default-layout";
import { detailLayoutFor } from "../../../metadata/src/layout-record-types";

export { defaultLayout, detailLayoutFor };

/** The server's layout when present (its empty parts filled from the default), else the default. */
export function layoutOf(describe: ObjectDescribe, objects: readonly ObjectDescribe[]): ObjectLayout {
  const fallback = defaultLayout(describe, objects);
  const sent = describe.layout;
  if (!sent) return fallback;
  return {
    object: describe.name,
    list: { ...fallback.list, ...sent.list, columns: sent.list?.columns?.length ? sent.list.columns : fallback.list.columns },
    detail: {
      sections: sent.detail?.sections?.length ? sent.detail.sections : fallback.detail.sections,
      related: sent.detail?.related ?? fallback.detail.related,
    },
    ...(sent.recordTypes ? { recordTypes: sent.recordTypes } : {}),
    ...(sent.print ? { print: sent.print } : {}),
  };
}
