// Imports a user's module (plan file, cerulean.config.ts) whatever it compiles to.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The exports of the module at `path`. A file outside an ES-module package is compiled as
 * CommonJS, and its exports then arrive as the namespace's `default`: they are merged back.
 */
export async function importModule(path: string): Promise<Record<string, unknown>> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  const fallback = mod["default"];
  if (typeof fallback === "object" && fallback !== null && !Array.isArray(fallback)) {
    return { ...(fallback as Record<string, unknown>), ...mod };
  }
  return mod;
}
