// The catalog seen as Tiled's tree, the layout Tiled gives Bluesky runs written by TiledWriter:
//   /                       container of runs (CatalogOfBlueskyRuns), keyed by uid
//   /<uid>                  container (BlueskyRun): metadata {start, stop, summary}
//   /<uid>/<stream>         container (BlueskyEventStream, composite)
//   /<uid>/<stream>/internal  table: seq_num, time, every scalar data key, ts_<key>
//   /<uid>/<stream>/internal/<column>  array: one table column (how Tiled's composite client
//                           reads a column of a stream)
//   /<uid>/<stream>/<key>   array: a non-scalar data key (images...), first dimension "time"
import type { DataKey } from "@cerulean/event-model";
import type { Catalog } from "../catalog/catalog.ts";
import { HttpRequestError } from "../errors.ts";
import type { Run } from "../run/run.ts";
import type { Stream } from "../run/stream.ts";

export type TreeNode =
  | { kind: "root"; path: string[] }
  | { kind: "run"; path: string[]; run: Run }
  | { kind: "stream"; path: string[]; run: Run; stream: Stream }
  | { kind: "table"; path: string[]; run: Run; stream: Stream }
  | { kind: "column"; path: string[]; run: Run; stream: Stream; column: string }
  | { kind: "array"; path: string[]; run: Run; stream: Stream; key: string; dataKey: DataKey };

/** The name of the table of scalar columns inside each stream, as TiledWriter names it. */
export const TABLE_KEY = "internal";

/** True for data keys stored as table columns (one scalar per event). */
export function isScalarKey(dataKey: DataKey): boolean {
  return (dataKey.shape ?? []).length === 0 && dataKey.external !== "STREAM:";
}

/** The scalar and the array data keys of a stream. */
export function splitKeys(stream: Stream): { scalars: string[]; arrays: string[] } {
  const keys = stream.dataKeys;
  const scalars: string[] = [];
  const arrays: string[] = [];
  for (const [key, dk] of Object.entries(keys)) {
    if (isScalarKey(dk)) scalars.push(key);
    else if (dk.external !== "STREAM:") arrays.push(key);
  }
  return { scalars, arrays };
}

/** The columns of a stream's table. */
export function tableColumns(stream: Stream): string[] {
  const { scalars } = splitKeys(stream);
  return ["seq_num", "time", ...scalars, ...scalars.map((k) => `ts_${k}`)];
}

function notFound(path: readonly string[]): HttpRequestError {
  return new HttpRequestError(404, `No such entry: /${path.join("/")}`);
}

/** Finds the node at `path`; 404 when there is none. */
export async function resolveNode(catalog: Catalog, path: string[]): Promise<TreeNode> {
  const [uid, streamName, child, ...rest] = path;
  if (uid === undefined) return { kind: "root", path };
  const run = await catalog.getByUid(uid);
  if (!run || rest.length > 1 || (rest.length === 1 && child !== TABLE_KEY)) throw notFound(path);
  if (streamName === undefined) return { kind: "run", path, run };
  if (!(await run.streamNames()).includes(streamName)) throw notFound(path);
  const stream = await run.stream(streamName);
  if (child === undefined) return { kind: "stream", path, run, stream };
  if (child === TABLE_KEY) {
    const [column] = rest;
    if (column === undefined) return { kind: "table", path, run, stream };
    if (!tableColumns(stream).includes(column)) throw notFound(path);
    return { kind: "column", path, run, stream, column };
  }
  const dataKey = stream.dataKeys[child];
  if (!dataKey || !splitKeys(stream).arrays.includes(child)) throw notFound(path);
  return { kind: "array", path, run, stream, key: child, dataKey };
}

/** The children of a run or stream node, in order. */
export async function childNodes(node: TreeNode): Promise<TreeNode[]> {
  switch (node.kind) {
    case "run": {
      const out: TreeNode[] = [];
      for (const name of await node.run.streamNames()) {
        out.push({
          kind: "stream",
          path: [...node.path, name],
          run: node.run,
          stream: await node.run.stream(name),
        });
      }
      return out;
    }
    case "stream": {
      const { arrays } = splitKeys(node.stream);
      const base = { run: node.run, stream: node.stream };
      return [
        { kind: "table", path: [...node.path, TABLE_KEY], ...base },
        ...arrays.map(
          (key): TreeNode => ({
            kind: "array",
            path: [...node.path, key],
            ...base,
            key,
            dataKey: node.stream.dataKeys[key]!,
          }),
        ),
      ];
    }
    default:
      throw new HttpRequestError(
        404,
        `/${node.path.join("/")} is not a container; it has no entries to search`,
      );
  }
}
