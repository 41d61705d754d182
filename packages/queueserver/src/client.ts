// A small HTTP client of the queue server API (GET requests carry JSON bodies, as the Python
// client sends them; fetch cannot, so this uses node:http).
import { request } from "node:http";

export interface ClientOptions {
  /** e.g. http://127.0.0.1:60610 */
  url?: string;
  apiKey?: string;
  timeoutMs?: number;
}

/** One HTTP reply: status code and parsed JSON. */
export interface ClientReply {
  status: number;
  body: Record<string, unknown>;
}

/** Talks to a queue server over HTTP. */
export class QueueServerClient {
  readonly url: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: ClientOptions = {}) {
    this.url = (
      options.url ??
      process.env["QSERVER_HTTP_SERVER_URI"] ??
      "http://127.0.0.1:60610"
    ).replace(/\/$/, "");
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Sends a request; `body` is JSON (sent on GET too). Resolves with any status. */
  send(method: string, path: string, body: unknown = {}): Promise<ClientReply> {
    const data = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
    const target = new URL(path, `${this.url}/`);
    return new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method,
          timeout: this.#timeoutMs,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(data),
            ...(this.#apiKey ? { authorization: `ApiKey ${this.#apiKey}` } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            text += c;
          });
          res.on("end", () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = { detail: text };
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as Record<string, unknown> });
          });
        },
      );
      req.on("timeout", () =>
        req.destroy(new Error(`no reply from ${target.href} within ${this.#timeoutMs} ms`)),
      );
      req.on("error", reject);
      req.end(data);
    });
  }

  async get(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
    return this.#ok(await this.send("GET", path, body));
  }

  async post(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
    return this.#ok(await this.send("POST", path, body));
  }

  async #ok(reply: ClientReply): Promise<Record<string, unknown>> {
    if (reply.status >= 400) {
      throw new Error(
        `HTTP ${reply.status}: ${String(reply.body["detail"] ?? JSON.stringify(reply.body))}`,
      );
    }
    return reply.body;
  }
}
