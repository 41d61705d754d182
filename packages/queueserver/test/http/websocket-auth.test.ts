// The status and console WebSockets ask for the same key as the routes: in the Authorization
// header (Python clients) or as ?api_key= (browsers cannot set headers on a WebSocket).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import WebSocket from "ws";
import { startTestServer } from "../helpers.ts";

/** Opens a socket and tells how it went: the first message, or the close code and reason. */
function firstFrame(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ message?: Record<string, unknown>; code?: number; reason?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const timer = setTimeout(() => reject(new Error(`no frame and no close from ${url}`)), 10_000);
    ws.once("message", (data) => {
      clearTimeout(timer);
      resolve({ message: JSON.parse(String(data)) as Record<string, unknown> });
      ws.close();
    });
    ws.once("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
    ws.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe("WebSocket authentication", () => {
  it("refuses a status socket without a key, a wrong key, or a key without the scope", async () => {
    await using t = await startTestServer({
      security: {
        apiKey: "secret",
        users: { k2: { user: "bob", role: "admin" } },
      },
    });
    const ws = t.server.url.replace(/^http/, "ws");
    for (const url of [
      `${ws}/api/status/ws`,
      `${ws}/api/status/ws?api_key=wrong`,
      `${ws}/api/console_output/ws?api_key=k2`,
    ]) {
      const frame = await firstFrame(url);
      assert.equal(frame.code, 4001, `${url} was not refused`);
      assert.equal(frame.reason, "Invalid token");
    }
  });

  it("accepts the key in the Authorization header or as ?api_key=", async () => {
    await using t = await startTestServer({ security: { apiKey: "secret" } });
    const ws = t.server.url.replace(/^http/, "ws");
    const byHeader = await firstFrame(`${ws}/api/status/ws`, { authorization: "ApiKey secret" });
    const byQuery = await firstFrame(`${ws}/api/status/ws?api_key=secret`);
    for (const frame of [byHeader, byQuery]) {
      const status = (frame.message?.["msg"] as { status?: Record<string, unknown> })?.status;
      assert.equal(typeof status?.["manager_state"], "string", JSON.stringify(frame));
    }
  });
});
