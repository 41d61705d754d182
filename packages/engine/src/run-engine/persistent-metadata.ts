// RE.md that outlives the process, as Bluesky's PersistentDict: every change is on disk before
// the assignment returns, so a killed process never hands out a scan_id twice.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { describeCause, MetadataPersistenceError } from "../errors.ts";
import { defaultScanIdSource } from "./run-engine-options.ts";

/** Keys never stored: the RunEngine recomputes them at every start. */
const RECOMPUTED_KEYS = new Set(["versions"]);

export interface PersistentMetadataOptions {
  /**
   * Metadata laid over the stored keys at every open and not stored while unchanged (a
   * profile's `metadata`). A default wins over a stored copy of the same key, so editing a
   * profile takes effect at the next session; a key the user sets during the session is stored
   * and survives into sessions of profiles that do not define it.
   */
  defaults?: Record<string, unknown>;
}

/** The RunEngine's persistent metadata, kept in a JSON file. */
export interface PersistentMetadata {
  /** The file (e.g. `<data dir>/run-engine-md.json`). */
  readonly path: string;
  /**
   * The object to give the RunEngine as `md`: assigning or deleting a top-level key writes the
   * file at once (temp file, fsync, rename) and throws MetadataPersistenceError if it cannot.
   */
  readonly md: Record<string, unknown>;
  /** Writes now; needed only after changing a nested value (`RE.md.sample.name = ...`). */
  save(): void;
  /**
   * A RunEngine `scanIdSource`: one more than the larger of `md.scan_id` and the file's, so a
   * second process running on the same data directory is not given the same numbers.
   */
  nextScanId(md: Record<string, unknown>): number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readStored(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new MetadataPersistenceError(
      path,
      `cannot read the persistent metadata ${path}: ${describeCause(err)}; expected a JSON object (fix or delete the file)`,
      err,
    );
  }
  if (!isRecord(parsed)) {
    throw new MetadataPersistenceError(
      path,
      `the persistent metadata ${path} holds ${JSON.stringify(parsed)}; expected a JSON object (fix or delete the file)`,
    );
  }
  // Files written before profiles were kept apart hold the whole RE.md, `versions` and every
  // profile's metadata mixed with the user's keys: only the scan_id can be trusted.
  if ("versions" in parsed) return "scan_id" in parsed ? { scan_id: parsed["scan_id"] } : {};
  return parsed;
}

/** The scan_id in the file now, if it is readable (another process may have moved it on). */
function storedScanId(path: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    const id = isRecord(parsed) ? parsed["scan_id"] : undefined;
    return typeof id === "number" ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces `path` with `text` so that a crash leaves either the old or the new file. */
function writeAtomically(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  try {
    // The rename itself is durable only once the directory is flushed (not possible everywhere).
    const dirFd = openSync(dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {}
}

/**
 * Opens the persistent metadata at `path` (created on the first change).
 * @example
 * const store = persistentMetadata("data/run-engine-md.json", { defaults: profile.metadata });
 * const RE = new RunEngine({ md: store.md, scanIdSource: store.nextScanId });
 */
export function persistentMetadata(
  path: string,
  options: PersistentMetadataOptions = {},
): PersistentMetadata {
  const stored = readStored(path);
  const defaults = { ...(options.defaults ?? {}) };
  // A scan_id is never taken back: a profile's only starts the count of a new data directory.
  if ("scan_id" in stored) delete defaults["scan_id"];
  const target: Record<string, unknown> = { ...stored, ...defaults };

  const serialize = (): string => {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(target)) {
      if (RECOMPUTED_KEYS.has(key)) continue;
      const unchangedDefault =
        key !== "scan_id" &&
        key in defaults &&
        JSON.stringify(value) === JSON.stringify(defaults[key]);
      if (!unchangedDefault) kept[key] = value;
    }
    return `${JSON.stringify(kept, null, 2)}\n`;
  };
  let written = serialize();

  const save = (): void => {
    let text: string;
    try {
      text = serialize();
    } catch (err) {
      throw new MetadataPersistenceError(
        path,
        `RE.md must hold plain data (numbers, strings, lists, objects) to be saved to ${path}: ${describeCause(err)}`,
        err,
      );
    }
    if (text === written) return;
    try {
      writeAtomically(path, text);
    } catch (err) {
      throw new MetadataPersistenceError(
        path,
        `cannot save the persistent metadata to ${path}: ${describeCause(err)}`,
        err,
      );
    }
    written = text;
  };

  // A change that cannot be saved is undone: memory never runs ahead of the file.
  const change = (key: string | symbol, apply: () => boolean): boolean => {
    if (typeof key === "symbol") return apply();
    const had = Object.hasOwn(target, key);
    const previous = target[key];
    const done = apply();
    try {
      save();
    } catch (err) {
      if (had) target[key] = previous;
      else delete target[key];
      throw err;
    }
    return done;
  };

  const md = new Proxy(target, {
    set: (t, key, value) => change(key, () => Reflect.set(t, key, value)),
    deleteProperty: (t, key) => change(key, () => Reflect.deleteProperty(t, key)),
    defineProperty: (t, key, descriptor) =>
      change(key, () => Reflect.defineProperty(t, key, descriptor)),
  });

  return {
    path,
    md,
    save,
    nextScanId: (current) => {
      const fromMemory = defaultScanIdSource(current);
      const fromFile = storedScanId(path);
      return fromFile === undefined ? fromMemory : Math.max(fromMemory, fromFile + 1);
    },
  };
}
