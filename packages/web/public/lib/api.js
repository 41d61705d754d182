// @ts-check
// HTTP calls to the queue server (bluesky-httpserver routes) and the broker (Tiled read API).

/** @typedef {{queueApi: string, tiledApi: string, documentsWs: string, title: string, pollMs: number}} Config */

/** @type {Config} */
export const config = JSON.parse(document.getElementById("cerulean-config")?.textContent ?? "{}");

/**
 * An API key, when the servers require one: from `?api_key=` in the page URL (then kept in
 * this browser's localStorage), as Tiled's and bluesky-httpserver's browser clients do.
 */
const apiKey = (() => {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get("api_key");
  if (fromUrl) {
    // Out of the address bar (screens are shared, screenshots taken) and out of the history.
    url.searchParams.delete("api_key");
    history.replaceState(history.state, "", url.toString());
  }
  try {
    if (fromUrl) localStorage.setItem("cerulean.api_key", fromUrl);
    return fromUrl ?? localStorage.getItem("cerulean.api_key");
  } catch {
    return fromUrl;
  }
})();
/** Keeps `key` as this browser's API key for the servers and reloads the page to use it. */
export function rememberApiKey(/** @type {string} */ key) {
  const url = new URL(location.href);
  url.searchParams.set("api_key", key.trim());
  location.assign(url.toString());
}

// Queue server calls answer at once (long work happens in the worker); a catalog read of a
// large stream may take a while.
const QUEUE_TIMEOUT_MS = 15_000;
const TILED_TIMEOUT_MS = 120_000;

/** @type {Record<string, string>} */
const authHeaders = apiKey ? { authorization: `ApiKey ${apiKey}` } : {};

/** The server answered with an HTTP error (4xx/5xx, `{"detail": ...}`). */
export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** The server could not be reached at all. */
export class ConnectionLostError extends Error {
  name = "ConnectionLostError";
}

/**
 * A ws:// URL for a same-origin path (or the URL itself when absolute), carrying the API key
 * as `?api_key=` to this server: a browser cannot set headers on a WebSocket.
 */
export function wsUrl(/** @type {string} */ path) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const url = new URL(/^wss?:/.test(path) ? path : `${proto}//${location.host}${path}`);
  // The key is this server's: never sent to a socket on another host.
  if (apiKey && url.host === location.host) url.searchParams.set("api_key", apiKey);
  return url.toString();
}

/**
 * fetch + JSON, errors turned into ApiError / ConnectionLostError. A request unanswered after
 * `timeoutMs` is given up: a dead connection (after a network switch or a laptop's sleep) would
 * otherwise hold the status poll, and with it the whole page, for good.
 * @param {string} url @param {RequestInit} init @param {number} timeoutMs @returns {Promise<any>}
 */
async function fetchJson(url, init, timeoutMs) {
  let response;
  let text;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    const reason =
      /** @type {Error} */ (error).name === "TimeoutError"
        ? `no answer within ${timeoutMs / 1000} s`
        : /** @type {Error} */ (error).message;
    throw new ConnectionLostError(`cannot reach the server (${reason})`);
  }
  /** @type {any} */
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : text.slice(0, 200);
    throw new ApiError(`${response.status}: ${detail}`, response.status);
  }
  return body;
}

/**
 * A queue server call. GETs carry no body (browsers cannot send one); POSTs send JSON.
 * Logical failures come back as `{success: false, msg}` (HTTP 200), as the spec says.
 * @param {"GET"|"POST"} method @param {string} path e.g. "/api/queue/get" @param {object} [params]
 */
export function qs(method, path, params) {
  const init =
    method === "POST"
      ? {
          method,
          headers: { ...authHeaders, "content-type": "application/json" },
          body: JSON.stringify(params ?? {}),
        }
      : { method, headers: authHeaders };
  return fetchJson(`${config.queueApi}${path}`, init, QUEUE_TIMEOUT_MS);
}

/** A POST whose `success: false` becomes an Error carrying the server's message. */
export async function qsAction(/** @type {string} */ path, /** @type {object} */ params = {}) {
  const reply = await qs("POST", path, params);
  if (reply && reply.success === false) throw new ApiError(reply.msg || `${path} failed`, 200);
  return reply;
}

/** A Tiled read-API GET; `path` starts with "/" (e.g. "/search/?page[limit]=50"). */
export function tiled(/** @type {string} */ path) {
  return fetchJson(
    `${config.tiledApi}${path}`,
    { headers: { ...authHeaders, accept: "application/json" } },
    TILED_TIMEOUT_MS,
  );
}
