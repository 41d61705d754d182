// Tiled's JSON:API-style resource for a node: id, attributes (ancestors, structure_family,
// specs, metadata, structure, sorting), links and meta.
import type { Catalog } from "../catalog/catalog.ts";
import type { Stream } from "../run/stream.ts";
import { columnStructure } from "./column-node.ts";
import type { MetadataSelector } from "./select-metadata.ts";
import { arrayStructure, tableStructure } from "./structure.ts";
import { splitKeys, type TreeNode } from "./tree.ts";

export interface Spec {
  name: string;
  version: string | null;
}

export interface Resource {
  id: string;
  attributes: Record<string, unknown>;
  links?: Record<string, string>;
  meta: Record<string, unknown>;
}

export interface ResourceOptions {
  /** The API root URL, e.g. http://127.0.0.1:60610/api/v1 */
  base: string;
  omitLinks: boolean;
  /** Attribute names to include (all when null). */
  fields: ReadonlySet<string> | null;
  /** select_metadata: metadata becomes `{selected: select(metadata)}` (whole when null). */
  select?: MetadataSelector | null;
}

const DEFAULT_SORTING = [{ key: "", direction: 1 }];

/** The metadata TiledWriter gives a stream: its first descriptor without name, object_keys, run_start. */
export function streamMetadata(stream: Stream): Record<string, unknown> {
  const [first, ...later] = stream.descriptors;
  const {
    name: _name,
    object_keys: _keys,
    run_start: _run,
    ...rest
  } = first ?? ({} as Record<string, unknown>);
  const metadata: Record<string, unknown> = { ...rest, stream_name: stream.name };
  if (later.length) {
    metadata["_config_updates"] = later.map((d) => ({
      uid: d.uid,
      time: d.time,
      configuration: d.configuration ?? {},
    }));
  }
  return metadata;
}

function specs(node: TreeNode): Spec[] {
  switch (node.kind) {
    case "root":
      return [{ name: "CatalogOfBlueskyRuns", version: "3.0" }];
    case "run":
      return [{ name: "BlueskyRun", version: "3.0" }];
    case "stream":
      return [
        { name: "BlueskyEventStream", version: "3.0" },
        { name: "composite", version: null },
      ];
    default:
      return [];
  }
}

function links(node: TreeNode, base: string, dims: number): Record<string, string> {
  const path = node.path.map(encodeURIComponent).join("/");
  const self = `${base}/metadata/${path}`;
  switch (node.kind) {
    case "array":
    case "column": {
      const block = Array.from({ length: dims }, (_, i) => `{${i}}`).join(",");
      return {
        self,
        full: `${base}/array/full/${path}`,
        block: `${base}/array/block/${path}?block=${block}`,
      };
    }
    case "table":
      return {
        self,
        full: `${base}/table/full/${path}`,
        partition: `${base}/table/partition/${path}?partition={index}`,
      };
    default:
      return { self, search: `${base}/search/${path}`, full: `${base}/container/full/${path}` };
  }
}

/** Family, metadata and structure of a node. */
async function describe(
  catalog: Catalog,
  node: TreeNode,
): Promise<{ family: string; metadata: unknown; structure: unknown; dims: number }> {
  switch (node.kind) {
    case "root":
      return {
        family: "container",
        metadata: {},
        structure: { contents: null, count: await catalog.count() },
        dims: 0,
      };
    case "run":
      return {
        family: "container",
        metadata: node.run.metadata,
        structure: { contents: null, count: (await node.run.streamNames()).length },
        dims: 0,
      };
    case "stream":
      return {
        family: "container",
        metadata: streamMetadata(node.stream),
        structure: { contents: null, count: 1 + splitKeys(node.stream).arrays.length },
        dims: 0,
      };
    case "table":
      return {
        family: "table",
        metadata: {},
        structure: await tableStructure(node.stream),
        dims: 0,
      };
    case "column": {
      const structure = await columnStructure(node.stream, node.column);
      return { family: "array", metadata: {}, structure, dims: structure.shape.length };
    }
    case "array": {
      const structure = await arrayStructure(node.stream, node.key);
      return {
        family: "array",
        metadata: node.dataKey.dims ? { dims: node.dataKey.dims } : {},
        structure,
        dims: structure.shape.length,
      };
    }
  }
}

/** The resource object of a node. */
export async function resourceOf(
  catalog: Catalog,
  node: TreeNode,
  options: ResourceOptions,
): Promise<Resource> {
  const { family, metadata, structure, dims } = await describe(catalog, node);
  const all: Record<string, unknown> = {
    ancestors: node.path.slice(0, -1),
    structure_family: family,
    specs: specs(node),
    metadata: options.select ? { selected: options.select(metadata) } : metadata,
    structure,
    sorting: family === "container" ? DEFAULT_SORTING : null,
    data_sources: null,
  };
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) {
    if (
      !options.fields ||
      options.fields.has(name) ||
      name === "ancestors" ||
      name === "structure_family"
    )
      attributes[name] = value;
  }
  const resource: Resource = { id: node.path[node.path.length - 1] ?? "", attributes, meta: {} };
  if (!options.omitLinks) resource.links = links(node, options.base, dims);
  return resource;
}
