// Console output over HTTP: full text, its uid, and the polling protocol of the Python client.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { REManager } from "../manager/re-manager.ts";
import { type Principal, requireScope } from "./auth.ts";

export interface ConsoleRouteContext {
  manager: REManager;
  principalOf: (request: FastifyRequest) => Principal;
  paramsOf: (request: FastifyRequest) => Promise<Record<string, unknown>>;
}

export function consoleRoutes(app: FastifyInstance, ctx: ConsoleRouteContext): void {
  const buffer = ctx.manager.console;
  const streams = new Set<() => void>();
  // A chunked text/plain stream of `{time, msg}` JSON objects arriving after the request.
  app.get("/api/stream_console_output", (request, reply) => {
    requireScope(ctx.principalOf(request), "read:console");
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-cache",
    });
    raw.flushHeaders();
    const unsubscribe = buffer.subscribe((m) =>
      raw.write(`${JSON.stringify({ time: m.time, msg: m.msg })}\n`),
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      unsubscribe();
      streams.delete(end);
      raw.end();
    };
    streams.add(end);
    request.raw.on("close", end);
  });
  // Before the server waits for open connections to end.
  app.addHook("preClose", async () => {
    for (const end of [...streams]) end();
  });
  app.get("/api/console_output", async (request) => {
    requireScope(ctx.principalOf(request), "read:console");
    const p = await ctx.paramsOf(request);
    const q = request.query as Record<string, string | undefined>;
    const n = Number(p["nlines"] ?? q["nlines"] ?? 200);
    return { success: true, msg: "", text: buffer.text(Number.isFinite(n) ? n : 200) };
  });
  app.get("/api/console_output/uid", async (request) => {
    requireScope(ctx.principalOf(request), "read:console");
    return { success: true, msg: "", console_output_uid: buffer.uid };
  });
  app.get("/api/console_output_update", async (request) => {
    requireScope(ctx.principalOf(request), "read:console");
    const p = await ctx.paramsOf(request);
    const q = request.query as Record<string, string | undefined>;
    const last = p["last_msg_uid"] ?? q["last_msg_uid"];
    if (typeof last !== "string") {
      return {
        success: false,
        msg: "Parameter 'last_msg_uid' is required (a string, or 'ALL')",
        last_msg_uid: "",
        console_output_msgs: [],
      };
    }
    return { success: true, msg: "", ...buffer.since(last) };
  });
}
