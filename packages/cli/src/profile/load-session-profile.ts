// Opens `--profile`: the built-in `sim`, a `cerulean.config.ts` exporting `config`, or a
// queue-server profile module exporting `profile` (the same file can serve both).
import { mkdirSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import type { PlanLike } from "@cerulean/engine";
import { CliProfileError } from "../errors.ts";
import { importModule } from "../session/import-module.ts";
import type { CeruleanConfig, DeviceContext, PlanFunction, StorageConfig } from "./config.ts";

/** What a session works with, whatever the profile's origin. */
export interface SessionProfile {
  name: string;
  /** The data directory: --data, else the config's storage.data, else ./data. */
  dataDir: string;
  devices: Record<string, unknown>;
  plans: Record<string, PlanFunction>;
  detectors?: string[];
  metadata: Record<string, unknown>;
  storage: StorageConfig;
  close(): Promise<void>;
}

async function simDevices(context: DeviceContext): Promise<Record<string, unknown>> {
  const { createSimBeamline } = await import("@cerulean/devices/sim");
  const beamline = await createSimBeamline({
    dataDir: context.filesDir,
    ...(context.seed === undefined ? {} : { seed: context.seed }),
    ...(context.velocity === undefined ? {} : { velocity: context.velocity }),
  });
  return { ...beamline };
}

/** What the command line says about opening a profile. */
export interface OpenOptions {
  /** --data (wins over the config's storage.data). */
  data?: string;
  seed?: number;
  velocity?: number;
}

function deviceContext(dataDir: string, options: OpenOptions): DeviceContext {
  const filesDir = join(dataDir, "files");
  mkdirSync(filesDir, { recursive: true });
  return {
    filesDir,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.velocity === undefined ? {} : { velocity: options.velocity }),
  };
}

/** Opens a `CeruleanConfig` into a session profile. */
export async function openConfig(
  config: CeruleanConfig,
  options: OpenOptions = {},
  name = "config",
): Promise<SessionProfile> {
  const dataDir = options.data ?? config.storage?.data ?? "./data";
  const context = deviceContext(dataDir, options);
  const devices: Record<string, unknown> = config.sim ? await simDevices(context) : {};
  const own = typeof config.devices === "function" ? await config.devices(context) : config.devices;
  Object.assign(devices, own ?? {});
  for (const detector of config.detectors ?? []) {
    if (!(detector in devices)) {
      throw new CliProfileError(
        `profile "${name}" lists detector "${detector}", which is not one of its devices (${Object.keys(devices).join(", ")})`,
      );
    }
  }
  return {
    name: config.name ?? name,
    dataDir,
    devices,
    plans: { ...(config.plans ?? {}) },
    ...(config.detectors === undefined ? {} : { detectors: config.detectors }),
    metadata: { ...(config.metadata ?? {}) },
    storage: { ...(config.storage ?? {}) },
    close: async () => {
      await config.close?.();
    },
  };
}

/**
 * Loads `spec` ("sim" or a module path). A module exporting `config` (a CeruleanConfig) is
 * opened as such; one exporting only `profile` goes through the queue server's loader, its
 * plans callable with positional arguments.
 */
export async function loadSessionProfile(
  spec: string,
  options: OpenOptions = {},
): Promise<SessionProfile> {
  if (spec === "sim") return openConfig({ name: "sim", sim: true }, options, "sim");
  const path = isAbsolute(spec) ? spec : resolve(spec);
  let mod: { config?: unknown; profile?: unknown };
  try {
    mod = await importModule(path);
  } catch (err) {
    throw new CliProfileError(
      `cannot load the profile "${spec}" (${path}): ${(err as Error).message}; expected "sim" or a cerulean.config.ts exporting config`,
    );
  }
  if (typeof mod.config === "object" && mod.config !== null) {
    return openConfig(mod.config as CeruleanConfig, options, basename(path));
  }
  if (mod.profile === undefined) {
    throw new CliProfileError(
      `the profile module ${path} exports neither "config" (a CeruleanConfig) nor "profile" (a queue-server profile)`,
    );
  }
  const { loadProfile } = await import("@cerulean/queueserver");
  const profile = await loadProfile(path);
  const dataDir = options.data ?? "./data";
  deviceContext(dataDir, options);
  const env = await profile.open({ dataDir });
  const plans: Record<string, PlanFunction> = {};
  for (const [name, planSpec] of Object.entries(env.plans)) {
    plans[name] = ((...args: unknown[]) => planSpec.build(args, {})) as (
      ...args: never[]
    ) => PlanLike;
  }
  return {
    name: profile.name,
    dataDir,
    devices: env.devices,
    plans,
    metadata: { ...(env.md ?? {}) },
    storage: {},
    close: async () => {
      await env.close?.();
    },
  };
}
