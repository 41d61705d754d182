// A small client for Tiled-protocol servers (Cerulean's broker API, or Tiled itself): search
// runs, read metadata, tables and arrays, replay documents.
import type { NamedDocument } from "@cerulean/event-model";
import { parseJson } from "@cerulean/event-model";
import { TiledHttpError } from "./errors.ts";
import { parseSlice, selectDim } from "./http/ndslice.ts";
import type { Resource } from "./http/resource.ts";
import type { ArrayStructure, DataType } from "./http/structure.ts";
import type { Query } from "./query/queries.ts";

export interface SearchPage {
  data: Resource[];
  /** All matches, not only this page. */
  count: number;
  /** The next page's URL, carrying this search's filters and sort; null on the last page. */
  next: string | null;
  /** The next page of the same search (same queries and sort), or null on the last page. */
  nextPage(): Promise<SearchPage | null>;
}

export interface ClientSearchOptions {
  queries?: readonly Query[];
  /** e.g. ["-start.time"]; "-" alone is newest first. */
  sort?: readonly string[];
  offset?: number;
  limit?: number;
}

/** An array read as raw bytes, viewed as its data type. */
export interface ArrayData {
  shape: number[];
  dataType: DataType;
  data:
    | Float64Array
    | Float32Array
    | Int8Array
    | Int16Array
    | Int32Array
    | BigInt64Array
    | Uint8Array
    | Uint16Array
    | Uint32Array
    | BigUint64Array;
}

/** Tiled's query string fields for one query: [name, {field: value}]. */
export function encodeQuery(query: Query): [string, Record<string, string>] {
  const j = JSON.stringify;
  switch (query.type) {
    case "eq":
    case "noteq":
    case "contains":
    case "in":
    case "notin":
      return [query.type, { key: query.key, value: j(query.value) }];
    case "comparison":
      return ["comparison", { operator: query.operator, key: query.key, value: j(query.value) }];
    case "keypresent":
      return ["keypresent", { key: query.key, exists: j(query.exists) }];
    case "like":
      return ["like", { key: query.key, pattern: j(query.pattern) }];
    case "fulltext":
      return ["fulltext", { text: query.text }];
    case "regex":
      return [
        "regex",
        { key: query.key, pattern: query.pattern, case_sensitive: j(query.case_sensitive ?? true) },
      ];
    case "time_range": {
      const fields: Record<string, string> = { timezone: query.timezone ?? "local" };
      if (query.since !== undefined) fields["since"] = j(query.since);
      if (query.until !== undefined) fields["until"] = j(query.until);
      return ["time_range", fields];
    }
    case "scan_id":
      return ["scan_id", { scan_ids: j(query.scan_ids), duplicates: query.duplicates ?? "latest" }];
    case "scan_id_range":
      return [
        "scan_id_range",
        {
          start_id: String(query.start_id),
          end_id: String(query.end_id),
          duplicates: query.duplicates ?? "latest",
        },
      ];
    case "partial_uid":
      return ["partial_uid", { partial_uids: j(query.partial_uids) }];
  }
}

const VIEWS: Record<string, (b: ArrayBuffer) => ArrayData["data"]> = {
  f8: (b) => new Float64Array(b),
  f4: (b) => new Float32Array(b),
  i1: (b) => new Int8Array(b),
  i2: (b) => new Int16Array(b),
  i4: (b) => new Int32Array(b),
  i8: (b) => new BigInt64Array(b),
  u1: (b) => new Uint8Array(b),
  b1: (b) => new Uint8Array(b),
  u2: (b) => new Uint16Array(b),
  u4: (b) => new Uint32Array(b),
  u8: (b) => new BigUint64Array(b),
};

/**
 * A client of one server.
 * @example
 * const client = new TiledClient("http://127.0.0.1:60610/api/v1");
 * const { data } = await client.search("", { queries: [eq("plan_name", "scan")], sort: ["-"] });
 * const table = await client.readTable(`${data[0].id}/primary/internal`);
 */
export class TiledClient {
  readonly base: string;
  readonly #headers: Record<string, string>;

  /** `base` is the API root (…/api/v1); `apiKey` is sent as `Authorization: Apikey …`. */
  constructor(base: string, options: { apiKey?: string } = {}) {
    this.base = base.replace(/\/+$/, "");
    this.#headers = options.apiKey ? { authorization: `Apikey ${options.apiKey}` } : {};
  }

  async #get(
    route: string,
    params: [string, string][] = [],
    accept = "application/json",
  ): Promise<Response> {
    const url = new URL(`${this.base}/${route}`);
    for (const [k, v] of params) url.searchParams.append(k, v);
    const response = await fetch(url, { headers: { ...this.#headers, accept } });
    if (!response.ok) {
      const text = await response.text();
      let detail = text;
      try {
        detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new TiledHttpError(
        response.status,
        `GET ${url.pathname}${url.search} failed with ${response.status}: ${detail}`,
      );
    }
    return response;
  }

  /** The server's about document. */
  async about(): Promise<Record<string, unknown>> {
    return (await (await this.#get("")).json()) as Record<string, unknown>;
  }

  /** One node's resource (id, attributes, links). */
  async metadata(path: string): Promise<Resource> {
    return ((await (await this.#get(`metadata/${path}`)).json()) as { data: Resource }).data;
  }

  /** One page of a container's children; at the root, the runs. */
  async search(path = "", options: ClientSearchOptions = {}): Promise<SearchPage> {
    const params: [string, string][] = [];
    for (const query of options.queries ?? []) {
      const [name, fields] = encodeQuery(query);
      for (const [field, value] of Object.entries(fields))
        params.push([`filter[${name}][condition][${field}]`, value]);
    }
    if (options.sort?.length) params.push(["sort", options.sort.join(",")]);
    const page: [string, string][] = [];
    if (options.offset !== undefined) page.push(["page[offset]", String(options.offset)]);
    if (options.limit !== undefined) page.push(["page[limit]", String(options.limit)]);
    const body = (await (await this.#get(`search/${path}`, [...params, ...page])).json()) as {
      data: Resource[];
      meta: { count: number };
      links: { next: string | null };
    };
    // Tiled's links.next carries only the page; the filters and sort are sent again with it.
    let next: URL | null = null;
    let nextOptions: ClientSearchOptions | null = null;
    if (body.links.next) {
      next = new URL(body.links.next, `${this.base}/`);
      const at = (name: string) => {
        const raw = next?.searchParams.get(name);
        return raw === null || raw === undefined || raw === "" ? undefined : Number(raw);
      };
      nextOptions = { ...options, offset: at("page[offset]"), limit: at("page[limit]") };
      next.search = "";
      for (const [k, v] of params) next.searchParams.append(k, v);
      if (nextOptions.offset !== undefined)
        next.searchParams.append("page[offset]", String(nextOptions.offset));
      if (nextOptions.limit !== undefined)
        next.searchParams.append("page[limit]", String(nextOptions.limit));
    }
    return {
      data: body.data,
      count: body.meta.count,
      next: next ? next.href : null,
      nextPage: async () => (nextOptions ? this.search(path, nextOptions) : null),
    };
  }

  /** A table (a stream's `internal`) as columns; one partition, or all of it. */
  async readTable(
    path: string,
    options: { columns?: readonly string[]; partition?: number } = {},
  ): Promise<Record<string, unknown[]>> {
    const params: [string, string][] = (options.columns ?? []).map((c) => ["column", c]);
    const route = options.partition === undefined ? "table/full" : "table/partition";
    if (options.partition !== undefined) params.push(["partition", String(options.partition)]);
    return (await (await this.#get(`${route}/${path}`, params)).json()) as Record<
      string,
      unknown[]
    >;
  }

  /** An array as raw bytes in its data type; `slice` in numpy syntax ("0:10,::2"). */
  async readArray(path: string, options: { slice?: string } = {}): Promise<ArrayData> {
    const structure = (await this.metadata(path)).attributes["structure"] as ArrayStructure;
    const params: [string, string][] = options.slice ? [["slice", options.slice]] : [];
    const response = await this.#get(`array/full/${path}`, params, "application/octet-stream");
    const bytes = await response.arrayBuffer();
    const { kind, itemsize } = structure.data_type;
    const view = VIEWS[`${kind}${itemsize}`] ?? VIEWS["f8"]!;
    const data = view(bytes);
    const slices = parseSlice(options.slice);
    const shape = structure.shape.flatMap((length, i) => {
      const { positions, keep } = selectDim(slices[i], length);
      return keep ? [positions.length] : [];
    });
    return { shape, dataType: structure.data_type, data };
  }

  /** A run's documents, replayed in order. */
  async *documents(uid: string, options: { fill?: boolean } = {}): AsyncIterable<NamedDocument> {
    const response = await this.#get(
      `documents/${uid}`,
      [["fill", String(options.fill ?? false)]],
      "application/json-seq",
    );
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim()) {
          const { name, doc } = parseJson(line) as { name: string; doc: unknown };
          yield [name, doc] as NamedDocument;
        }
        newline = buffered.indexOf("\n");
      }
    }
  }
}
