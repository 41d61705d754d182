// A FAKE of the queue server's read routes (an idle manager, empty queue and history), for the
// live-view tests, which exercise the bus's real document WebSocket and need only a quiet shell.
// The real queue server is driven by e2e-real-stack.test.ts.
import type { FastifyInstance } from "fastify";

export function registerFakeQueueApi(app: FastifyInstance): void {
  const status = {
    msg: "RE Manager (fake)",
    manager_state: "idle",
    re_state: null,
    worker_environment_exists: false,
    items_in_queue: 0,
    items_in_history: 0,
    running_item_uid: null,
    plan_queue_uid: "q",
    plan_history_uid: "h",
    plans_allowed_uid: "p",
    devices_allowed_uid: "d",
    lock: { environment: false, queue: false },
  };
  app.get("/api/status", async () => status);
  app.get("/api/queue/get", async () => ({ success: true, msg: "", items: [], running_item: {} }));
  app.get("/api/history/get", async () => ({ success: true, msg: "", items: [] }));
  app.get("/api/plans/allowed", async () => ({ success: true, msg: "", plans_allowed: {} }));
  app.get("/api/devices/allowed", async () => ({ success: true, msg: "", devices_allowed: {} }));
  app.get("/api/console_output", async () => ({ success: true, msg: "", text: "" }));
  app.get("/api/console_output/uid", async () => ({
    success: true,
    msg: "",
    console_output_uid: "c",
  }));
  // No console WebSocket here: refuse the handshake at once, as a server without the route would.
  app.server.on("upgrade", (request, socket) => {
    if ((request.url ?? "").startsWith("/api/console_output/ws")) {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
  });
}
