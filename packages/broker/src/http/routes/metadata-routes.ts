// GET /  (about), /metadata/{path}, /search/{path}
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Catalog } from "../../catalog/catalog.ts";
import { toFilters, toSorts } from "../../query/filters.ts";
import { filterRuns, sortRuns } from "../../query/match.ts";
import type { Query } from "../../query/queries.ts";
import { aliasesByFamily, FORMATS } from "../media-types.ts";
import {
  type NodeSelection,
  parseFilters,
  parsePage,
  parseSort,
  QUERY_NAMES,
  type QueryString,
} from "../query-params.ts";
import { type Resource, type ResourceOptions, resourceOf } from "../resource.ts";
import { sendMetadata } from "../respond.ts";
import { metadataSelector } from "../select-metadata.ts";
import { childNodes, resolveNode, type TreeNode } from "../tree.ts";

export interface RouteContext {
  catalog: Catalog;
  /** The API root URL for a request, for links. */
  base(request: FastifyRequest): string;
  version: string;
}

/** The path segments of a wildcard route. */
export function pathOf(request: FastifyRequest): string[] {
  const raw = (request.params as Record<string, string | undefined>)["*"] ?? "";
  return raw
    .split("/")
    .filter((s) => s !== "")
    .map(decodeURIComponent);
}

function resourceOptions(ctx: RouteContext, request: FastifyRequest): ResourceOptions {
  const query = request.query as QueryString;
  const selectRaw = query["select_metadata"];
  const expression = Array.isArray(selectRaw) ? selectRaw[0] : selectRaw;
  const fields = query["fields"];
  const list =
    fields === undefined
      ? null
      : (Array.isArray(fields) ? fields : [fields]).flatMap((f) => f.split(","));
  return {
    base: ctx.base(request),
    omitLinks: query["omit_links"] === "true",
    fields: list ? new Set(list) : null,
    select: expression === undefined ? null : metadataSelector(expression),
  };
}

function selectsNothing(
  selection: NodeSelection,
  specs: readonly string[],
  family: string,
): boolean {
  if (selection.structureFamily !== null && selection.structureFamily !== family) return true;
  if (selection.specs) {
    if (selection.specs.include.some((s) => !specs.includes(s))) return true;
    if (selection.specs.exclude.some((s) => specs.includes(s))) return true;
  }
  return false;
}

async function searchRoot(
  ctx: RouteContext,
  queries: Query[],
  selection: NodeSelection,
  request: FastifyRequest,
) {
  const query = request.query as QueryString;
  const { offset, limit } = parsePage(query);
  const all = [...queries];
  if (selection.keys)
    all.push({ type: "in", key: "start.uid", value: [...new Set(selection.keys)] });
  if (selectsNothing(selection, ["BlueskyRun"], "container"))
    return { count: 0, nodes: [] as TreeNode[], offset, limit };
  const sort = parseSort(query);
  const count = await ctx.catalog.count(all);
  const runs = limit === 0 ? [] : await ctx.catalog.search(all, { sort, offset, limit });
  return {
    count,
    nodes: runs.map((run): TreeNode => ({ kind: "run", path: [run.uid], run })),
    offset,
    limit,
  };
}

async function searchChildren(
  ctx: RouteContext,
  node: TreeNode,
  queries: Query[],
  selection: NodeSelection,
  request: FastifyRequest,
) {
  const query = request.query as QueryString;
  const { offset, limit } = parsePage(query);
  const options = resourceOptions(ctx, request);
  const children = await childNodes(node);
  // Small containers are searched in memory: each child's metadata stands in for a start document.
  const entries = await Promise.all(
    children.map(async (child, i) => {
      const attrs = (
        await resourceOf(ctx.catalog, child, { ...options, fields: null, select: null })
      ).attributes;
      const key = child.path[child.path.length - 1]!;
      return {
        id: i,
        uid: key,
        start: (attrs["metadata"] ?? {}) as Record<string, unknown>,
        stop: null,
        child,
        attrs,
      };
    }),
  );
  let matched = filterRuns(entries, toFilters(queries));
  matched = matched.filter(
    (e) =>
      !(selection.keys && !selection.keys.includes(e.uid)) &&
      !selectsNothing(
        selection,
        (e.attrs["specs"] as { name: string }[]).map((s) => s.name),
        String(e.attrs["structure_family"]),
      ),
  );
  matched = sortRuns(matched, toSorts(parseSort(query)));
  return {
    count: matched.length,
    nodes: matched.slice(offset, offset + limit).map((e) => e.child),
    offset,
    limit,
  };
}

function pageLinks(
  self: string,
  offset: number,
  limit: number,
  count: number,
): Record<string, string | null> {
  const at = (o: number) => `${self}?page[offset]=${o}&page[limit]=${limit}`;
  return {
    self: at(offset),
    first: limit ? at(0) : null,
    last: limit ? at(Math.floor(count / limit) * limit) : null,
    next: offset + limit < count ? at(offset + limit) : null,
    prev: offset > 0 ? at(Math.max(0, offset - limit)) : null,
  };
}

/** Registers the about, metadata and search routes. */
export function metadataRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get("/", async (request, reply) => {
    const base = ctx.base(request);
    return sendMetadata(request, reply, {
      api_version: 0,
      library_version: ctx.version,
      formats: FORMATS,
      aliases: aliasesByFamily(),
      queries: QUERY_NAMES,
      authentication: { required: false, providers: [], links: {} },
      links: { self: `${base}/`, documentation: `${base}/docs` },
      meta: { root_path: new URL(base).pathname.replace(/\/api\/v1$/, "") },
    });
  });

  const metadata = async (request: FastifyRequest) => {
    const node = await resolveNode(ctx.catalog, pathOf(request));
    return { data: await resourceOf(ctx.catalog, node, resourceOptions(ctx, request)) };
  };
  app.get("/metadata", async (request, reply) =>
    sendMetadata(request, reply, await metadata(request)),
  );
  app.get("/metadata/*", async (request, reply) =>
    sendMetadata(request, reply, await metadata(request)),
  );

  const search = async (request: FastifyRequest) => {
    const path = pathOf(request);
    const node = await resolveNode(ctx.catalog, path);
    const { queries, selection } = parseFilters(request.query as QueryString);
    const found =
      node.kind === "root"
        ? await searchRoot(ctx, queries, selection, request)
        : await searchChildren(ctx, node, queries, selection, request);
    const options = resourceOptions(ctx, request);
    const data: Resource[] = await Promise.all(
      found.nodes.map((n) => resourceOf(ctx.catalog, n, options)),
    );
    const self = `${options.base}/search/${path.map(encodeURIComponent).join("/")}`;
    return {
      data,
      links: pageLinks(self, found.offset, found.limit, found.count),
      meta: { count: found.count },
    };
  };
  app.get("/search", async (request, reply) => sendMetadata(request, reply, await search(request)));
  app.get("/search/*", async (request, reply) =>
    sendMetadata(request, reply, await search(request)),
  );
}
