// Maps every error to the one JSON shape of DESIGN.md; the only place that knows about HTTP statuses of errors.
import type { FastifyError, FastifyInstance } from "fastify";
import type { ErrorObject } from "ajv";
import { AppError, ERROR_CODES, type ErrorCode, type ErrorDetail } from "../errors/errors";
import { errorsToDetails } from "../records/body-validator";

interface CodedError {
  code?: string;
  status?: number;
  details?: ErrorDetail[];
  messages?: { "zh-CN": string; en: string };
  localized?: { "zh-CN": string; en: string };
}

export interface ErrorBody {
  error: { code: string; message: string; messages: { "zh-CN": string; en: string }; details: ErrorDetail[] };
}

/** Errors from other modules (schema, rules) carry a registry code but are not AppErrors. */
function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const coded = error as CodedError;
  if (coded && typeof coded.code === "string" && coded.code in ERROR_CODES) {
    return new AppError(coded.code as ErrorCode, { details: coded.details, message: coded.localized ?? coded.messages });
  }
  return null;
}

function fromFastify(error: FastifyError): AppError | null {
  const status = error.statusCode ?? 500;
  if (error.validation) {
    const prefix = error.validationContext === "body" || !error.validationContext ? "" : `/${error.validationContext}`;
    return new AppError("VALIDATION_FAILED", { details: errorsToDetails(error.validation as unknown as ErrorObject[], prefix) });
  }
  if (status >= 500 || !error.code?.startsWith("FST_")) return null;
  const app = new AppError(status === 401 ? "UNAUTHENTICATED" : status === 404 ? "NOT_FOUND" : "MALFORMED_REQUEST", {
    message: { "zh-CN": `请求格式错误: ${error.message}`, en: error.message },
  });
  return Object.assign(app, { status: status === 415 || status === 413 ? status : app.status });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = asAppError(error) ?? fromFastify(error);
    const resolved = known ?? new AppError("INTERNAL");
    if (!known) request.log.error({ err: error }, "unhandled error");
    const locale = request.headers["accept-language"]?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
    const body: ErrorBody = {
      error: {
        code: resolved.code,
        message: resolved.localized[locale],
        messages: resolved.localized,
        details: resolved.details,
      },
    };
    reply.status(resolved.status).headers(resolved.headers).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const messages = ERROR_CODES.NOT_FOUND.message;
    reply.status(404).send({ error: { code: "NOT_FOUND", message: messages["zh-CN"], messages, details: [{ path: request.url.split("?")[0], message: messages }] } });
  });
}
