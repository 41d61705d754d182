// Everything `cerulean run` and `cerulean repl` share: profile, RunEngine, catalog, metadata.
import { join } from "node:path";
import type { PersistentMetadata, RunEngine } from "@cerulean/engine";
import { CliUsageError } from "../errors.ts";
import { loadSessionProfile, type SessionProfile } from "../profile/load-session-profile.ts";
import { planScope } from "./plan-scope.ts";

type EngineModule = typeof import("@cerulean/engine");

export interface SessionOptions {
  /** "sim" (default) or a path to a cerulean.config.ts. */
  profile?: string;
  /** --data. */
  data?: string;
  /** --catalog (wins over the config's storage.catalog). */
  catalog?: string;
  seed?: number;
  velocity?: number;
  print: (line: string) => void;
}

/** An open session; `close()` saves the metadata and closes the catalog and the profile. */
export interface Session {
  engine: EngineModule;
  RE: RunEngine;
  profile: SessionProfile;
  /** Plans, stubs, preprocessors and devices by name. */
  scope: Record<string, unknown>;
  dataDir: string;
  /**
   * Writes the persistent metadata (already written at each change; this catches nested edits)
   * and commits the catalog; reports, never throws.
   * False when the catalog did not store every document.
   */
  save(): Promise<boolean>;
  /** Saves, then closes the catalog and the profile; false as `save()`. */
  close(): Promise<boolean>;
}

/**
 * RE.md kept in `<data>/run-engine-md.json`, written at every change (each run's scan_id before
 * its start document): a killed process never hands out a scan_id twice. The profile's
 * `metadata` applies afresh at every session and is not stored while unchanged; a key set on
 * RE.md (`RE.md.sample = "Si"`) is stored and kept across sessions of any profile on this data
 * directory, except that a profile defining the same key wins at the next session.
 */
function openMetadata(
  engine: EngineModule,
  path: string,
  profile: SessionProfile,
): PersistentMetadata {
  try {
    return engine.persistentMetadata(path, { defaults: profile.metadata });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

/** Opens the profile, a RunEngine with persistent metadata and the catalog it writes to. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const { print } = options;
  // Loaded on use: the other commands must not pay for the engine and the devices.
  const engine = await import("@cerulean/engine");
  const profile = await loadSessionProfile(options.profile ?? "sim", {
    ...(options.data === undefined ? {} : { data: options.data }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.velocity === undefined ? {} : { velocity: options.velocity }),
  });
  const dataDir = profile.dataDir;
  const mdPath = join(dataDir, "run-engine-md.json");
  let metadata: PersistentMetadata;
  try {
    metadata = openMetadata(engine, mdPath, profile);
  } catch (err) {
    await profile.close();
    throw err;
  }
  const RE = new engine.RunEngine({
    md: metadata.md,
    scanIdSource: metadata.nextScanId,
    log: {
      info: (line) => print(line),
      warn: (line, err) => print(`warning: ${line}${err ? ` (${String(err)})` : ""}`),
    },
  });
  // Every run lands in the catalog of the data directory (`cerulean runs` reads it back).
  const { openCatalog } = await import("@cerulean/broker");
  const catalog = await openCatalog(
    options.catalog ?? profile.storage.catalog ?? join(dataDir, "catalog.sqlite"),
  );
  RE.subscribe(catalog.insert);
  const scope = planScope(profile.devices, engine, profile.plans);
  let closed = false;
  const save = async () => {
    try {
      metadata.save();
    } catch (err) {
      print(`cerulean: cannot save the metadata to ${mdPath}: ${(err as Error).message}`);
    }
    try {
      await catalog.flush();
      return true;
    } catch (err) {
      print(`cerulean: the catalog did not store every document: ${(err as Error).message}`);
      return false;
    }
  };
  return {
    engine,
    RE,
    profile,
    scope,
    dataDir,
    save,
    close: async () => {
      if (closed) return true;
      closed = true;
      try {
        return await save();
      } finally {
        await catalog.close();
        await profile.close();
      }
    },
  };
}
