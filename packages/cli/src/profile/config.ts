// The shape of `cerulean.config.ts`: what a beamline declares for `cerulean repl` and `run`.
import type { PlanLike } from "@cerulean/engine";

/** What a config's `devices` function is given. */
export interface DeviceContext {
  /** Folder for detector files (<data>/files). */
  filesDir: string;
  /** The --seed option, when given (simulations). */
  seed?: number;
  /** The --velocity option, when given (simulations). */
  velocity?: number;
}

/** A plan factory: any function returning a plan. */
export type PlanFunction = (...args: never[]) => PlanLike;

/** Where runs are stored. */
export interface StorageConfig {
  /** The data directory (default ./data); --data wins. */
  data?: string;
  /** Another catalog: a SQLite file or a postgresql:// URL; --catalog wins. */
  catalog?: string;
}

/** A typed `cerulean.config.ts`: `export const config = defineConfig({...})`. */
export interface CeruleanConfig {
  /** Shown in the banner (default: the file name). */
  name?: string;
  /** Start from the simulated beamline's devices (default false). */
  sim?: boolean;
  /** The devices by name, or a function building them (may be async). */
  devices?:
    | Record<string, unknown>
    | ((context: DeviceContext) => Record<string, unknown> | Promise<Record<string, unknown>>);
  /** Plans added to the built-in ones, by name. */
  plans?: Record<string, PlanFunction>;
  /** Names of the devices `ct()` counts (default: every readable, non-movable device with hints). */
  detectors?: string[];
  /** Metadata added to every run. */
  metadata?: Record<string, unknown>;
  storage?: StorageConfig;
  /** Called when the session ends (disconnect hardware). */
  close?: () => Promise<void> | void;
}

/** Types a config (an identity function, for editor completion). */
export function defineConfig(config: CeruleanConfig): CeruleanConfig {
  return config;
}
