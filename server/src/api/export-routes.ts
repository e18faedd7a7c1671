// The export route: parses format, language and the list's filter / sort / q, then streams the file as a download.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { validationFailed } from "../errors/errors";
import { EXPORT_FORMATS, exportRecords, type ExportFormat, type Language } from "../records/export";
import { parseListQuery } from "./record-routes";
import { recordsContext, type ServerContext } from "./context";

type Query = Record<string, string | undefined>;

/** csv when absent; anything else than csv or xlsx is a 400 naming /format. */
function parseFormat(format: unknown): ExportFormat {
  if (format === undefined) return "csv";
  if (EXPORT_FORMATS.includes(format as ExportFormat)) return format as ExportFormat;
  throw validationFailed([
    { path: "/format", message: { "zh-CN": `不支持的导出格式，可选: ${EXPORT_FORMATS.join(", ")}`, en: `Unknown export format; use one of: ${EXPORT_FORMATS.join(", ")}` } },
  ]);
}

const languageOf = (request: FastifyRequest): Language => (request.headers["accept-language"]?.toLowerCase().startsWith("en") ? "en" : "zh-CN");

/** RFC 6266 / 5987: the UTF-8 file name percent-encoded, including the characters encodeURIComponent leaves. */
const contentDisposition = (filename: string) =>
  `attachment; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)}`;

export function registerExportRoutes(app: FastifyInstance, server: ServerContext): void {
  // No automatic HEAD route: a HEAD request must not count, audit and start an export that nobody reads.
  app.get("/api/objects/:object/export", { exposeHeadRoute: false }, async (request, reply) => {
    const context = await recordsContext(server, request);
    const query = request.query as Query;
    const format = parseFormat(query.format);
    const { filter, sort, q } = parseListQuery({ filter: query.filter, sort: query.sort, q: query.q });
    const file = await exportRecords(context, (request.params as { object: string }).object, {
      format,
      language: languageOf(request),
      params: { filter, sort, q },
    });
    return reply
      .header("content-type", file.contentType)
      .header("content-disposition", contentDisposition(file.filename))
      .header("cache-control", "no-store")
      .send(file.body);
  });
}
