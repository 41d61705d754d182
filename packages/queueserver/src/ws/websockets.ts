// WebSockets: /api/status/ws and /api/info/ws (status frames) and /api/console_output/ws.
// The key comes from `Authorization: ApiKey` (as in bluesky-httpserver) or `?api_key=`, which
// is all a browser can send on a WebSocket.
import type { FastifyInstance } from "fastify";
import { type WebSocket, WebSocketServer } from "ws";
import { requestAllows, type SecurityOptions } from "../http/auth.ts";
import type { REManager } from "../manager/re-manager.ts";

export interface WebSocketOptions {
  manager: REManager;
  security: SecurityOptions;
}

const PATHS: Record<string, string> = {
  "/api/status/ws": "read:monitor",
  "/api/info/ws": "read:monitor",
  "/api/console_output/ws": "read:console",
};

export function attachWebSockets(app: FastifyInstance, options: WebSocketOptions): void {
  const wss = new WebSocketServer({ noServer: true });
  const { manager } = options;
  app.server.on("upgrade", (request, socket, head) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    const scope = PATHS[path];
    if (!scope) return;
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (!requestAllows(options.security, request, scope)) return ws.close(4001, "Invalid token");
      serve(ws, path);
    });
  });

  const serve = (ws: WebSocket, path: string): void => {
    const sendJson = (value: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(value));
    };
    let stop: () => void;
    if (path === "/api/console_output/ws") {
      // The uid (beyond upstream's {time, msg}) lets a client that also fetched the text over
      // HTTP (console_output_update) tell which frames that text already holds.
      stop = manager.console.subscribe((m) => sendJson({ time: m.time, msg: m.msg, uid: m.uid }));
    } else {
      const push = () => sendJson({ time: Date.now() / 1000, msg: { status: manager.status() } });
      push();
      manager.on("status", push);
      const timer = setInterval(push, 1000);
      stop = () => {
        manager.off("status", push);
        clearInterval(timer);
      };
    }
    ws.on("close", stop);
    ws.on("error", stop);
  };
  app.addHook("onClose", async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
  });
}
