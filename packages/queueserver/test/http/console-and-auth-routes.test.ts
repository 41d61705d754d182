// The console output stream and the read-only auth routes, over a real server.
import assert from "node:assert/strict";
import { once } from "node:events";
import { request } from "node:http";
import { describe, it } from "node:test";
import { within } from "@cerulean/event-model/testing";
import WebSocket from "ws";
import { startTestServer } from "../helpers.ts";

describe("console output stream", { timeout: 20_000 }, () => {
  it("streams console messages written after the request as JSON lines", async () => {
    await using t = await startTestServer();
    const lines: Record<string, unknown>[] = [];
    const got = new Promise<void>((resolve, reject) => {
      const req = request(`${t.server.url}/api/stream_console_output`, (res) => {
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers["content-type"]), /text\/plain/);
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
          const parts = text.split("\n");
          text = parts.pop() ?? "";
          for (const part of parts) lines.push(JSON.parse(part) as Record<string, unknown>);
          if (lines.length > 0) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on("error", (err) => {
        if (lines.length === 0) reject(err);
      });
      req.end();
      // The stream is open once the headers are out; then the manager writes a line.
      req.on("response", () => {
        void t.client.post("/api/agent/register", { name: "streamed", limits: {} });
      });
    });
    await got;
    assert.deepEqual(Object.keys(lines[0] ?? {}).sort(), ["msg", "time"]);
    assert.match(String(lines[0]?.["msg"]), /Agent 'streamed' registered/);
  });

  it("console WebSocket frames carry the uid that console_output_update names", async () => {
    await using t = await startTestServer();
    const ws = new WebSocket(`${t.server.url.replace(/^http/, "ws")}/api/console_output/ws`);
    try {
      await within(once(ws, "open"), "the console WebSocket to open", 10_000);
      const frame = within(once(ws, "message"), "a console frame", 10_000);
      await t.client.post("/api/agent/register", { name: "framed", limits: {} });
      const [data] = (await frame) as [Buffer];
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      assert.match(String(message["msg"]), /Agent 'framed' registered/);
      // A browser cannot send a GET body: the query string is read too.
      const update = await t.client.send("GET", "/api/console_output_update?last_msg_uid=ALL");
      const body = update.body as Record<string, unknown>;
      assert.equal(body["last_msg_uid"], message["uid"]);
      const msgs = body["console_output_msgs"] as { msg: string; uid: string }[];
      assert.match(String(msgs.at(-1)?.msg), /Agent 'framed' registered/);
      assert.equal(msgs.at(-1)?.uid, message["uid"]);
    } finally {
      ws.close();
    }
  });

  it("closes the server while a stream is open", async () => {
    const t = await startTestServer();
    await new Promise<void>((resolve) => {
      const req = request(`${t.server.url}/api/stream_console_output`, () => resolve());
      req.on("error", () => {});
      req.end();
    });
    await t[Symbol.asyncDispose]();
    assert.ok(true, "close did not wait for the open stream");
  });
});

describe("auth routes", () => {
  it("tells the caller who it is and which scopes it has", async () => {
    await using t = await startTestServer({
      security: { users: { k1: { user: "ann", role: "observer", user_group: "primary" } } },
    });
    const who = await t.client.send("GET", "/api/auth/whoami");
    assert.equal(who.status, 401);
    const headers = { authorization: "ApiKey k1" };
    const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${t.server.url}/api/auth/whoami`, { headers }, (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString();
        });
        res.on("end", () => resolve(JSON.parse(text) as Record<string, unknown>));
      });
      req.on("error", reject);
      req.end();
    });
    assert.deepEqual(reply["identities"], [{ id: "ann", provider: "api_key" }]);
    const scopes = reply["scopes"] as string[];
    assert.ok(scopes.includes("read:queue"));
    assert.ok(!scopes.includes("write:queue:edit"));
  });
});
