import { encodeJson } from "@cerulean/event-model";
import type { H5Group } from "./h5.ts";

const MAX_DEPTH = 16;

/** An HDF5 link name for a document key: "/" is the path separator there, "." and ".." are taken. */
export function h5Name(key: string): string {
  const name = key.replace(/\//g, "_");
  return name === "" || name === "." || name === ".." ? `_${name}` : name;
}

/**
 * Mirrors a metadata object into `group` for browsing: strings, numbers, booleans and
 * homogeneous arrays of numbers or strings as datasets, nested objects as groups, anything else
 * (null, mixed arrays) as a JSON string with the attribute `encoding = "json"`.
 */
export function mirrorMetadata(group: H5Group, object: Record<string, unknown>, depth = 0): void {
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    const name = h5Name(key);
    if (group.keys().includes(name)) continue;
    writeValue(group, name, value, depth);
  }
}

function writeValue(group: H5Group, name: string, value: unknown, depth: number): void {
  if (typeof value === "string") {
    group.create_dataset({ name, data: value });
  } else if (typeof value === "number") {
    if (Number.isSafeInteger(value)) {
      group.create_dataset({ name, data: new BigInt64Array([BigInt(value)]) as never, shape: [] });
    } else group.create_dataset({ name, data: new Float64Array([value]), shape: [] });
  } else if (typeof value === "boolean") {
    group
      .create_dataset({ name, data: new Uint8Array([value ? 1 : 0]), shape: [] })
      .create_attribute("dtype", "bool");
  } else if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === "number")
  ) {
    group.create_dataset({ name, data: Float64Array.from(value as number[]) });
  } else if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === "string")
  ) {
    group.create_dataset({ name, data: value as string[] });
  } else if (isPlainObject(value) && depth < MAX_DEPTH) {
    const child = group.create_group(name);
    mirrorMetadata(child, value, depth + 1);
  } else {
    writeJson(group, name, value);
  }
}

/** Writes `value` as a JSON string dataset (Python-compatible NaN/Infinity). */
export function writeJson(group: H5Group, name: string, value: unknown): void {
  group.create_dataset({ name, data: encodeJson(value) }).create_attribute("encoding", "json");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value)
  );
}
