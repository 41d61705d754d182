// POST /api/queue/upload/spreadsheet: a spreadsheet file (multipart field `spreadsheet`) becomes
// a batch add at the back of the queue, with the caller's user and group.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpError, SpreadsheetError } from "../errors.ts";
import { callMethod } from "../manager/api.ts";
import type { REManager } from "../manager/re-manager.ts";
import { spreadsheetToItems } from "../spreadsheet/spreadsheet-items.ts";
import { type Principal, requireScope } from "./auth.ts";
import { parseMultipart } from "./multipart.ts";

export function spreadsheetRoute(
  app: FastifyInstance,
  ctx: { manager: REManager; principalOf: (request: FastifyRequest) => Principal },
): void {
  app.addContentTypeParser("multipart/form-data", { parseAs: "buffer" }, (_req, body, done) =>
    done(null, body),
  );
  app.post("/api/queue/upload/spreadsheet", async (request) => {
    const principal = ctx.principalOf(request);
    requireScope(principal, "write:queue:edit");
    const type = request.headers["content-type"] ?? "";
    if (!type.startsWith("multipart/form-data") || !Buffer.isBuffer(request.body))
      throw new HttpError(
        400,
        "Expected a multipart/form-data body with the file in 'spreadsheet'",
      );
    const parts = parseMultipart(request.body, type);
    const file = parts.find((p) => p.name === "spreadsheet");
    if (!file) throw new HttpError(400, "The form has no 'spreadsheet' file");
    const dataType = parts.find((p) => p.name === "data_type")?.text;
    if (dataType !== undefined && dataType !== "")
      throw new HttpError(
        400,
        `Unsupported data_type '${dataType}': only the default conversion exists`,
      );
    let items: unknown[];
    try {
      items = await spreadsheetToItems(file.filename ?? "", file.data);
    } catch (err) {
      if (err instanceof SpreadsheetError) throw new HttpError(400, err.message);
      throw err;
    }
    return callMethod(ctx.manager, "queue_item_add_batch", {
      items,
      user: principal.user,
      user_group: principal.user_group,
    });
  });
}
