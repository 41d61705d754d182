// @cerulean/web: the browser UI (queue, plan forms, live data, runs, devices), served as plain
// ES modules by a fastify plugin; it talks to the queue server and broker over HTTP only.
export { AssetNotFoundError, WebUiError } from "./errors.ts";
export { registerWebUi, renderIndexHtml, type WebUiConfig, type WebUiOptions } from "./web-ui.ts";
