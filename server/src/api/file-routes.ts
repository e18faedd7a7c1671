// File routes: upload one file (multipart), download a file a record holds. Parsing and replying only.
import type { FastifyInstance, FastifyRequest } from "fastify";
import multipart, { type MultipartFile } from "@fastify/multipart";
import { storeFile } from "../files/store";
import { readRecordFile } from "../files/download";
import { cleanContentType, cleanFileName, contentDisposition, emptyFile, fileTooLarge, noFile, uploadLimitBytes } from "../files/upload-rules";
import { recordsContext, requireActor, type ServerContext } from "./context";

interface Upload {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** The first file part of the request, read whole (files are at most the upload limit). */
async function readUpload(request: FastifyRequest, limitBytes: number): Promise<Upload> {
  let bytes: Buffer;
  let part: MultipartFile | undefined;
  try {
    part = await request.file({ limits: { fileSize: limitBytes, files: 1 } });
    bytes = part ? await part.toBuffer() : Buffer.alloc(0);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE") throw fileTooLarge(limitBytes);
    if (code === "FST_INVALID_MULTIPART_CONTENT_TYPE") throw noFile();
    throw error;
  }
  if (!part) throw noFile();
  if (bytes.length === 0) throw emptyFile();
  return { name: cleanFileName(part.filename), contentType: cleanContentType(part.mimetype), bytes };
}

export function registerFileRoutes(app: FastifyInstance, server: ServerContext, options: { maxUploadBytes?: number } = {}): void {
  const limitBytes = options.maxUploadBytes ?? uploadLimitBytes();
  void app.register(multipart, { limits: { fileSize: limitBytes, files: 1 } });

  app.post("/api/files", async (request, reply) => {
    const actor = requireActor(request);
    const upload = await readUpload(request, limitBytes);
    const stored = await storeFile(server.db, { ...upload, actor });
    reply.status(201);
    return { id: stored.id, name: stored.name, size: stored.size, contentType: stored.contentType };
  });

  // No automatic HEAD route: a HEAD request must not audit a download nobody receives.
  app.get("/api/objects/:object/records/:id/files/:fileId", { exposeHeadRoute: false }, async (request, reply) => {
    const { object, id, fileId } = request.params as { object: string; id: string; fileId: string };
    const file = await readRecordFile(await recordsContext(server, request), { objectName: object, id, fileId });
    return reply
      .header("content-type", file.contentType)
      .header("content-length", file.size)
      .header("content-disposition", contentDisposition(file.name))
      .header("cache-control", "private, no-store")
      .header("x-content-type-options", "nosniff")
      .header("content-security-policy", "default-src 'none'; sandbox")
      .send(file.bytes);
  });
}
