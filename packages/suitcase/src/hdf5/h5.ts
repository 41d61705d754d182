// The HDF5 library (h5wasm, HDF5 compiled to WebAssembly, with direct access to the real file
// system under Node). Loaded on first use only: it is a 4 MB module that the text formats and
// the CLI's other commands should not pay for.
import fs from "node:fs";
import type * as H5Wasm from "h5wasm/node";
import { ExternalDataError, FileWriteError, SuitcaseError } from "../errors.ts";

/** The h5wasm namespace (File, Group, Dataset...). */
export type H5 = (typeof H5Wasm)["default"];
export type H5File = InstanceType<H5["File"]>;
export type H5Group = InstanceType<H5["Group"]>;
export type H5Dataset = InstanceType<H5["Dataset"]>;

let loading: Promise<typeof H5Wasm> | null = null;
let wasm: (typeof H5Wasm)["Module"] | null = null;

/** Resolves once the HDF5 library is loaded and ready. */
export async function loadH5(): Promise<H5> {
  loading ??= import("h5wasm/node");
  const library = await loading;
  await library.default.ready;
  wasm = library.Module;
  return library.default;
}

function module(): (typeof H5Wasm)["Module"] {
  if (wasm === null) throw new SuitcaseError("the HDF5 library is used before loadH5() finished");
  return wasm;
}

let watching = false;

/**
 * Runs `action` (synchronous HDF5 calls on the file at `path`) and throws FileWriteError if HDF5
 * failed to write to the disk (full disk, I/O error). h5wasm's flush, close and write_slice
 * return success then, HDF5 only prints its error stack to stderr; its file system layer calls
 * Node's fs.writeSync, so a write error is seen there, for the duration of this call only.
 */
export function checkDiskWrites<T>(path: string, action: () => T): T {
  if (watching) return action();
  const original = fs.writeSync;
  let failure: unknown;
  const watched = (...args: Parameters<typeof fs.writeSync>): number => {
    try {
      return Reflect.apply(original, fs, args) as number;
    } catch (err) {
      if (args[0] !== 1 && args[0] !== 2) failure ??= err;
      throw err;
    }
  };
  fs.writeSync = watched as typeof fs.writeSync;
  watching = true;
  let result: T;
  try {
    result = action();
  } catch (err) {
    if (failure === undefined) throw err;
    result = undefined as T;
  } finally {
    fs.writeSync = original;
    watching = false;
  }
  if (failure !== undefined) {
    throw new FileWriteError(
      path,
      failure,
      "HDF5 could not write its buffered data, so the file misses the latest documents",
    );
  }
  return result;
}

const encoder = new TextEncoder();

/**
 * Writes variable-length UTF-8 strings into rows [start, start + n) of a 1-D dataset; h5wasm's
 * write_slice does not handle variable-length types, so the char* array is built here: every
 * string goes, NUL-terminated, into one block of HDF5's memory, then a table of pointers to them.
 */
export function writeVlenStrings(
  dataset: H5Dataset,
  start: number,
  strings: readonly string[],
): void {
  if (strings.length === 0) return;
  const Module = module();
  let bytes = 0;
  for (const text of strings) bytes += Buffer.byteLength(text) + 1;
  const block = Module._malloc(bytes);
  const table = Module._malloc(4 * strings.length);
  try {
    if (!block || !table)
      throw new SuitcaseError(`out of HDF5 memory for ${bytes} bytes of strings`);
    const pointers = new Uint32Array(strings.length);
    let at = block;
    strings.forEach((text, i) => {
      pointers[i] = at;
      const { written } = encoder.encodeInto(text, Module.HEAPU8.subarray(at, block + bytes));
      Module.HEAPU8[at + written] = 0;
      at += written + 1;
    });
    Module.HEAPU8.set(new Uint8Array(pointers.buffer), table);
    Module.set_dataset_data(
      dataset.file_id,
      dataset.path,
      [BigInt(strings.length)],
      [BigInt(start)],
      [1n],
      BigInt(table),
    );
  } finally {
    Module._free(table);
    Module._free(block);
  }
}

/** The local path of a `file://` URI ("file://localhost/data/x.h5", "file:///data/x.h5"). */
export function uriToPath(uri: string): string {
  if (uri.startsWith("/")) return uri;
  let url: URL;
  try {
    url = new URL(uri);
  } catch (err) {
    throw new ExternalDataError(`the external data URI ${JSON.stringify(uri)} is not a URI`, {
      cause: err,
    });
  }
  if (url.protocol !== "file:" || (url.hostname !== "" && url.hostname !== "localhost")) {
    throw new ExternalDataError(
      `the external data URI ${JSON.stringify(uri)} is not a local file (expected file://localhost/<path>)`,
    );
  }
  return decodeURIComponent(url.pathname);
}
