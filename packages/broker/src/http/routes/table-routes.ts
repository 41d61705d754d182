// GET /table/full/{path}, /table/partition/{path}: a stream's table of scalar columns
// (seq_num, time, each scalar data key, ts_<key>).

import { csvLine } from "@cerulean/suitcase";
import { encode } from "@msgpack/msgpack";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpRequestError } from "../../errors.ts";
import type { Column } from "../../run/column-reader.ts";
import { arrowFile } from "../arrow/arrow-ipc.ts";
import { arrowTypeOf } from "../arrow/table-schema.ts";
import { ARROW, CSV, JSON_SEQ, JSON_TYPE, MSGPACK, negotiate } from "../media-types.ts";
import type { QueryString } from "../query-params.ts";
import { toJson, toPlain } from "../respond.ts";
import { PARTITION_ROWS } from "../structure.ts";
import { resolveNode, splitKeys, tableColumns } from "../tree.ts";
import type { DataLimits } from "./array-routes.ts";
import { pathOf, type RouteContext } from "./metadata-routes.ts";

function all(query: QueryString, name: string): string[] {
  const v = query[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

async function sendTable(
  ctx: RouteContext,
  limits: DataLimits,
  request: FastifyRequest,
  reply: FastifyReply,
  partitioned: boolean,
) {
  const query = request.query as QueryString;
  const node = await resolveNode(ctx.catalog, pathOf(request));
  if (node.kind !== "table")
    throw new HttpRequestError(404, `/${node.path.join("/")} is not a table`);
  const type = negotiate("table", all(query, "format")[0], request.headers.accept);
  const available = tableColumns(node.stream);
  const asked = [...all(query, "column"), ...all(query, "field")];
  const unknown = asked.filter((c) => !available.includes(c));
  if (unknown.length)
    throw new HttpRequestError(
      422,
      `no column ${unknown.map((c) => JSON.stringify(c)).join(", ")}; the columns are ${available.join(", ")}`,
    );
  const columns = asked.length ? asked : available;
  const rows = await node.stream.length();
  let start = 0;
  let stop = rows;
  if (partitioned) {
    const raw = all(query, "partition")[0];
    const index = Number(raw);
    const count = Math.max(1, Math.ceil(rows / PARTITION_ROWS));
    if (raw === undefined || !Number.isInteger(index) || index < 0 || index >= count) {
      throw new HttpRequestError(
        422,
        `partition ${JSON.stringify(raw)} is not one of 0..${count - 1}`,
      );
    }
    start = index * PARTITION_ROWS;
    stop = Math.min(rows, start + PARTITION_ROWS);
  }
  if ((stop - start) * columns.length * 8 > limits.responseBytesizeLimit) {
    throw new HttpRequestError(
      400,
      `Response would exceed ${limits.responseBytesizeLimit} bytes; request fewer columns or one partition`,
    );
  }
  const { scalars } = splitKeys(node.stream);
  const fields = scalars.filter((k) => columns.includes(k) || columns.includes(`ts_${k}`));
  const table = await node.stream.read({
    fields,
    timestamps: columns.some((c) => c.startsWith("ts_")),
    start,
    stop,
  });
  const data: Record<string, Column> = {};
  for (const c of columns) {
    if (c === "seq_num" || c === "time") data[c] = table[c];
    else if (c.startsWith("ts_") && !scalars.includes(c))
      data[c] = table.timestamps[c.slice(3)] ?? [];
    else data[c] = table.data[c] ?? [];
  }
  const filename = all(query, "filename")[0];
  if (filename) reply.header("Content-Disposition", `attachment;filename=${filename}`);
  reply.type(type);
  switch (type) {
    case JSON_TYPE:
      return reply.send(toJson(data));
    case MSGPACK:
      return reply.send(Buffer.from(encode(toPlain(data))));
    case JSON_SEQ: {
      let text = "";
      for (let i = 0; i < table.length; i++)
        text += `${toJson(Object.fromEntries(columns.map((c) => [c, data[c]![i]])))}\n`;
      return reply.send(text);
    }
    case CSV: {
      let text = csvLine(columns);
      for (let i = 0; i < table.length; i++) text += csvLine(columns.map((c) => data[c]![i]));
      return reply.send(text);
    }
    case ARROW: {
      const keys = node.stream.dataKeys;
      const arrow = arrowFile(
        columns.map((c) => ({ name: c, type: arrowTypeOf(c, keys), values: data[c]! })),
        table.length,
      );
      return reply.send(Buffer.from(arrow.buffer, arrow.byteOffset, arrow.byteLength));
    }
    default:
      throw new HttpRequestError(406, `cannot serve a table as ${type}`);
  }
}

/** Registers the table routes. */
export function tableRoutes(app: FastifyInstance, ctx: RouteContext, limits: DataLimits): void {
  app.get("/table/full/*", async (request, reply) => sendTable(ctx, limits, request, reply, false));
  app.get("/table/partition/*", async (request, reply) =>
    sendTable(ctx, limits, request, reply, true),
  );
}
