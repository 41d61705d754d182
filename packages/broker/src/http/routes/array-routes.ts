// GET /array/full/{path}, /array/block/{path}: a non-scalar data key of a stream as an array
// whose first dimension is the event.

import { csvLine } from "@cerulean/suitcase";
import { encode } from "@msgpack/msgpack";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpRequestError } from "../../errors.ts";
import { columnStructure, readColumn } from "../column-node.ts";
import { CSV, JSON_TYPE, MSGPACK, negotiate, OCTET } from "../media-types.ts";
import { type DimSlice, flatten, parseSlice, selectDim, sliceNested, toBytes } from "../ndslice.ts";
import type { QueryString } from "../query-params.ts";
import { toJson } from "../respond.ts";
import { arrayStructure } from "../structure.ts";
import { resolveNode, type TreeNode } from "../tree.ts";
import { pathOf, type RouteContext } from "./metadata-routes.ts";

export interface DataLimits {
  /** Largest response body, in bytes, before 400 "use slicing" (Tiled's default 300,000,000). */
  responseBytesizeLimit: number;
}

function one(query: QueryString, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

function shapeOfNested(value: unknown, dims: number): number[] {
  const shape: number[] = [];
  let v = value;
  for (let i = 0; i < dims && Array.isArray(v); i++) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function checkExpectedShape(expected: string | undefined, shape: readonly number[]): void {
  if (expected === undefined) return;
  const want = expected === "scalar" ? [] : expected.split(",").map(Number);
  if (want.length !== shape.length || want.some((d, i) => d !== shape[i])) {
    throw new HttpRequestError(
      422,
      `The expected_shape ${JSON.stringify(expected)} does not match the actual shape ${JSON.stringify(shape.join(","))}`,
    );
  }
}

type ArrayNode = Extract<TreeNode, { kind: "array" | "column" }>;

/** Rows [start, stop) of an array node's values along its first dimension. */
async function readRows(node: ArrayNode, start: number, stop: number): Promise<ArrayLike<unknown>> {
  if (node.kind === "column") return readColumn(node.stream, node.column, start, stop);
  const table = await node.stream.read({ fields: [node.key], start, stop });
  return table.data[node.key] ?? [];
}

/** Reads rows `rows` (positions along the first dimension) and applies the other slices. */
async function readSlice(
  node: ArrayNode,
  first: DimSlice | undefined,
  rest: DimSlice[],
  rowRange: [number, number],
) {
  const [from, to] = rowRange;
  const { positions, keep } = selectDim(first, to - from);
  if (positions.length === 0) return { value: [] as unknown[], keep };
  const lo = from + Math.min(...positions);
  const hi = from + Math.max(...positions) + 1;
  const column = await readRows(node, lo, hi);
  const rows = positions.map((p) => sliceNested(column[from + p - lo], rest));
  return { value: keep ? rows : rows[0], keep };
}

async function sendArray(
  ctx: RouteContext,
  limits: DataLimits,
  request: FastifyRequest,
  reply: FastifyReply,
  block: boolean,
) {
  const query = request.query as QueryString;
  const node = await resolveNode(ctx.catalog, pathOf(request));
  if (node.kind !== "array" && node.kind !== "column")
    throw new HttpRequestError(404, `/${node.path.join("/")} is not an array`);
  const type = negotiate("array", one(query, "format"), request.headers.accept);
  const structure =
    node.kind === "column"
      ? await columnStructure(node.stream, node.column)
      : await arrayStructure(node.stream, node.key);
  let rowRange: [number, number] = [0, structure.shape[0]!];
  if (block) {
    const raw = one(query, "block");
    const index = (raw ?? "").split(",").map(Number);
    const chunks = structure.chunks;
    if (
      raw === undefined ||
      index.length !== chunks.length ||
      index.some((b, i) => !Number.isInteger(b) || b < 0 || b >= chunks[i]!.length)
    ) {
      throw new HttpRequestError(
        422,
        `block ${JSON.stringify(raw)} is not in the chunk grid ${JSON.stringify(chunks.map((c) => c.length))}`,
      );
    }
    const start = chunks[0]!.slice(0, index[0]).reduce((a, b) => a + b, 0);
    rowRange = [start, start + chunks[0]![index[0]!]!];
  }
  const [first, ...rest] = parseSlice(one(query, "slice"));
  const itemsize = structure.data_type.itemsize;
  const estimate =
    (rowRange[1] - rowRange[0]) * structure.shape.slice(1).reduce((a, b) => a * b, 1) * itemsize;
  if (first === undefined && estimate > limits.responseBytesizeLimit) {
    throw new HttpRequestError(
      400,
      `Response would exceed ${limits.responseBytesizeLimit} bytes (about ${estimate}); use slicing (slice=...) or blocks to request less`,
    );
  }
  const { value } = await readSlice(node, first, rest, rowRange);
  const dims =
    structure.shape.length -
    (first && "index" in first ? 1 : 0) -
    rest.filter((s) => "index" in s).length;
  const shape = shapeOfNested(value, dims);
  checkExpectedShape(one(query, "expected_shape"), shape);
  const filename = one(query, "filename");
  if (filename) reply.header("Content-Disposition", `attachment;filename=${filename}`);
  reply.type(type);
  switch (type) {
    case OCTET:
      return reply.send(Buffer.from(toBytes(flatten(value), structure.data_type)));
    case JSON_TYPE:
      return reply.send(toJson(value));
    case MSGPACK:
      return reply.send(Buffer.from(encode(value)));
    case CSV: {
      if (shape.length > 2)
        throw new HttpRequestError(
          406,
          `an array of ${shape.length} dimensions cannot be written as CSV; slice it to 2 or fewer`,
        );
      const rows =
        shape.length === 2
          ? (value as unknown[][])
          : shape.length === 1
            ? (value as unknown[]).map((v) => [v])
            : [[value]];
      return reply.send(rows.map((r) => csvLine(r)).join(""));
    }
    default:
      throw new HttpRequestError(406, `cannot serve an array as ${type}`);
  }
}

/** Registers the array routes. */
export function arrayRoutes(app: FastifyInstance, ctx: RouteContext, limits: DataLimits): void {
  app.get("/array/full/*", async (request, reply) => sendArray(ctx, limits, request, reply, false));
  app.get("/array/block/*", async (request, reply) => sendArray(ctx, limits, request, reply, true));
}
