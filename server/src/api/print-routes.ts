// The print route: one record through a print template, answered as an HTML page the browser prints to PDF.
import type { FastifyInstance } from "fastify";
import { validationFailed } from "../errors/errors";
import { printRecord } from "../print/print";
import type { Locale } from "../print/format";
import { recordsContext, type ServerContext } from "./context";

type Query = Record<string, string | undefined>;

/** zh-CN unless ?locale=en; anything else is a 400 naming /locale. */
function parseLocale(locale: string | undefined): Locale {
  if (locale === undefined || locale === "zh-CN") return "zh-CN";
  if (locale === "en") return "en";
  throw validationFailed([{ path: "/locale", message: { "zh-CN": "locale 只能是 zh-CN 或 en", en: "locale must be zh-CN or en" } }]);
}

export function registerPrintRoutes(app: FastifyInstance, server: ServerContext): void {
  // No automatic HEAD route: a HEAD request must not audit a print nobody sees.
  app.get("/api/objects/:object/records/:id/print", { exposeHeadRoute: false }, async (request, reply) => {
    const context = await recordsContext(server, request);
    const { object, id } = request.params as { object: string; id: string };
    const query = request.query as Query;
    const page = await printRecord(context, object, id, { template: query.template, locale: parseLocale(query.locale) });
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("x-content-type-options", "nosniff")
      // The page needs nothing but its own inline style: no scripts, images or requests of any kind.
      .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
      .send(page.html);
  });
}
