// Helpers on data keys and object sets shared by the bundler and the collector.
import type { DataKeys } from "@cerulean/devices/protocols";
import type { DataKey } from "@cerulean/event-model";

/** True when two sets hold the same objects. */
export function sameSet(a: ReadonlySet<object>, b: ReadonlySet<object>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** True for a DataKey-shaped value (what tells flat describe_collect output from nested). */
export function isDataKey(value: unknown): value is DataKey {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as DataKey).source === "string" &&
    "dtype" in value &&
    "shape" in value
  );
}

/** describe_collect output: flat data keys of one stream, or `{stream: data keys}`. */
export type CollectKeys = DataKeys | Record<string, Record<string, DataKey>>;

/** True when describe_collect output is flat (its values are data keys). */
export function isFlat(keys: CollectKeys): keys is DataKeys {
  const values = Object.values(keys);
  return values.length > 0 && values.every(isDataKey);
}

/** The data keys of stream `name` from describe_collect output, flat or `{stream: keys}`. */
export function flatCollectKeys(keys: CollectKeys, name: string): DataKeys {
  if (Object.keys(keys).length === 0 || isFlat(keys)) return keys as DataKeys;
  const nested = keys as Record<string, Record<string, DataKey>>;
  const names = Object.keys(nested);
  if (names.length !== 1 || names[0] !== name) {
    throw new Error(
      `declare_stream("${name}", collect=true): describe_collect returned streams ${JSON.stringify(names)}; expected only "${name}"`,
    );
  }
  return nested[name] ?? {};
}

/** A key for a set of data key names (the descriptor a partial event belongs to). */
export function keySetId(keys: Iterable<string>): string {
  return [...keys].sort().join("\u0000");
}
