// The few queue server routes an agent uses, over plain fetch (bluesky-httpserver's API; the
// run catalog is the Tiled-compatible broker API under /api/v1).
import { parseJson } from "@cerulean/event-model";
import { QueueServerRequestError } from "./errors.ts";

/** Options of AgentQueueClient. */
export interface AgentQueueClientOptions {
  /** e.g. http://127.0.0.1:60610 */
  url: string;
  /** Sent as `Authorization: ApiKey <key>`. */
  apiKey?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

type Json = Record<string, unknown>;

/** A thin JSON client of the queue server for agents. */
export class AgentQueueClient {
  readonly url: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: AgentQueueClientOptions) {
    this.url = options.url.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** GET a route; the reply's JSON. */
  get(path: string): Promise<Json> {
    return this.#send("GET", path);
  }

  /** POST JSON to a route; throws QueueServerRequestError unless it succeeds. */
  post(path: string, body: Json = {}): Promise<Json> {
    return this.#send("POST", path, body);
  }

  /** A run's documents, in order, from the catalog's replay route. */
  async runDocuments(uid: string): Promise<[string, unknown][]> {
    const response = await this.#fetch("GET", `/api/v1/documents/${encodeURIComponent(uid)}`, {
      accept: "application/json-seq",
    });
    const text = await response.text();
    if (!response.ok) {
      throw new QueueServerRequestError(
        `GET /api/v1/documents/${uid} answered ${response.status}: ${text.slice(0, 300)}`,
        { status: response.status },
      );
    }
    const out: [string, unknown][] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const entry = parseJson(line) as { name?: unknown; doc?: unknown };
      if (typeof entry.name !== "string") {
        throw new QueueServerRequestError(
          `GET /api/v1/documents/${uid}: a line is not {"name", "doc"}: ${line.slice(0, 200)}`,
        );
      }
      out.push([entry.name, entry.doc]);
    }
    return out;
  }

  async #send(method: string, path: string, body?: Json): Promise<Json> {
    const response = await this.#fetch(method, path, { "content-type": "application/json" }, body);
    const text = await response.text();
    let reply: Json;
    try {
      reply = JSON.parse(text) as Json;
    } catch {
      reply = { detail: text };
    }
    if (!response.ok || reply["success"] === false) {
      const why = reply["msg"] ?? reply["detail"] ?? text;
      throw new QueueServerRequestError(
        `${method} ${path} failed (HTTP ${response.status}): ${typeof why === "string" ? why : JSON.stringify(why)}`,
        { status: response.status },
      );
    }
    return reply;
  }

  async #fetch(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Json,
  ): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...headers,
          ...(this.#apiKey ? { authorization: `ApiKey ${this.#apiKey}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw new QueueServerRequestError(
        `${method} ${this.url}${path}: no answer (${(err as Error).message})`,
        { cause: err },
      );
    }
  }
}
