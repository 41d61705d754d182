// Serves the browser UI on a fastify app: "/" is the page, /ui/* its ES modules, /ui/vendor/* the
// ESM builds of preact, htm and uplot straight from node_modules (no build step).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { IMPORT_MAP, packageRoot, VENDOR_PACKAGES } from "./vendor.ts";

/** Where the UI finds the APIs (paths on the same origin, or absolute URLs). */
export interface WebUiConfig {
  /** Queue server routes (default "" so calls go to /api/...). */
  queueApi: string;
  /** The broker's Tiled-compatible read API (default "/api/v1"). */
  tiledApi: string;
  /** The bus's document WebSocket path (default "/api/documents/ws"). */
  documentsWs: string;
  /** Title shown in the page header (default "Cerulean"). */
  title: string;
  /** Status polling period in ms (default 500). */
  pollMs: number;
}

export interface WebUiOptions extends Partial<WebUiConfig> {
  /** URL prefix of the UI's own files (default "/ui"). The page itself is always at "/". */
  assetsPrefix?: string;
}

const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

/** The page, with the import map and the UI's configuration written in. */
export function renderIndexHtml(config: WebUiConfig, assetsPrefix: string): string {
  const template = readFileSync(new URL("index.html", `file://${PUBLIC_DIR}`), "utf8");
  const imports: Record<string, string> = {};
  for (const [name, file] of Object.entries(IMPORT_MAP)) {
    imports[name] = `${assetsPrefix}/vendor/${file}`;
  }
  // "<" escaped so a configured title can never close the script element.
  const json = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");
  return template
    .replaceAll("%ASSETS%", assetsPrefix)
    .replace('{"imports": "IMPORT_MAP"}', json({ imports }))
    .replace('{"config": "CONFIG"}', json(config))
    .replace("%TITLE%", config.title.replace(/[<>&"]/g, ""));
}

/**
 * Mounts the UI on `app`: GET / (the page), `${assetsPrefix}/*` (modules, styles),
 * `${assetsPrefix}/vendor/<pkg>/*`. Call before `app.listen()`.
 * @example await registerWebUi(app, { tiledApi: "/api/v1" })
 */
export async function registerWebUi(
  app: FastifyInstance,
  options: WebUiOptions = {},
): Promise<void> {
  const assetsPrefix = (options.assetsPrefix ?? "/ui").replace(/\/$/, "");
  const config: WebUiConfig = {
    queueApi: options.queueApi ?? "",
    tiledApi: options.tiledApi ?? "/api/v1",
    documentsWs: options.documentsWs ?? "/api/documents/ws",
    title: options.title ?? "Cerulean",
    pollMs: options.pollMs ?? 500,
  };
  const page = renderIndexHtml(config, assetsPrefix);
  app.get("/", async (_request, reply) =>
    reply.type("text/html; charset=utf-8").header("Cache-Control", "no-cache").send(page),
  );
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: `${assetsPrefix}/`,
    decorateReply: false,
    index: false,
    cacheControl: false,
    setHeaders: (res) => res.setHeader("Cache-Control", "no-cache"),
  });
  for (const name of VENDOR_PACKAGES) {
    await app.register(fastifyStatic, {
      root: packageRoot(name),
      prefix: `${assetsPrefix}/vendor/${name}/`,
      decorateReply: false,
      index: false,
      maxAge: 3_600_000,
      // Only the browser builds, not the packages' sources and manifests.
      allowedPath: (path) => /\.(m?js|css)$/.test(path),
    });
  }
}
