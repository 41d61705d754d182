// Where the browser-side packages live on disk: their ESM files are served as-is (no bundler).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { AssetNotFoundError } from "./errors.ts";

const require = createRequire(import.meta.url);

/** The root directory of an installed package (walks up from its entry: some block ./package.json). */
export function packageRoot(name: string): string {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch (error) {
    throw new AssetNotFoundError(
      `browser dependency '${name}' is not installed (expected in node_modules): ${(error as Error).message}`,
    );
  }
  let dir = dirname(entry);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
      if (parsed.name === name) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new AssetNotFoundError(`no package.json named '${name}' above ${entry}`);
    dir = parent;
  }
}

/** The packages the UI loads, and the file each import-map name points at inside them. */
export const VENDOR_PACKAGES = ["preact", "htm", "uplot"] as const;

/** Import map entries, relative to the vendor prefix. */
export const IMPORT_MAP: Record<string, string> = {
  preact: "preact/dist/preact.mjs",
  "preact/hooks": "preact/hooks/dist/hooks.mjs",
  htm: "htm/dist/htm.mjs",
  "htm/preact": "htm/preact/index.mjs",
  uplot: "uplot/dist/uPlot.esm.js",
};
