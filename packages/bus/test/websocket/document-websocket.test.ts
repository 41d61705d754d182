import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { WebSocket } from "ws";
import type { DocumentGap } from "../../src/document-bus.ts";
import { collect } from "../../src/testing/bus-contract.ts";
import { gaussianScanDocuments } from "../../src/testing/gaussian-scan.ts";
import {
  attachDocumentWebSocket,
  closeReason,
  type DocumentWebSocketOptions,
} from "../../src/websocket/document-websocket.ts";
import { openWebSocketSubscriber } from "../../src/websocket/websocket-subscriber.ts";

async function serve(options: DocumentWebSocketOptions = {}, wrap = false) {
  const server: Server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const endpoint = attachDocumentWebSocket(wrap ? { server } : server, options);
  return {
    endpoint,
    url: `ws://127.0.0.1:${port}${endpoint.path}`,
    port,
    server,
    async [Symbol.asyncDispose]() {
      await endpoint.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("the document WebSocket endpoint", { timeout: 20_000 }, () => {
  it("replays the current run to a browser that connects mid-run, then streams it live", async () => {
    await using s = await serve();
    const earlier = gaussianScanDocuments({ points: 2 });
    const docs = gaussianScanDocuments({ points: 4 });
    for (const named of [...earlier, ...docs.slice(0, 3)]) s.endpoint.publish(...named);
    const browser = await openWebSocketSubscriber(s.url);
    await browser.live;
    for (const named of docs.slice(3)) s.endpoint.publish(...named);
    deepStrictEqual(await collect(browser, "stop"), docs);
    strictEqual(browser.nextSeq, s.endpoint.nextSeq);
    await browser.close();
  });

  it("resumes a reconnecting client from the seq it had reached, losing nothing", async () => {
    await using s = await serve();
    const docs = gaussianScanDocuments({ points: 6 });
    const first = await openWebSocketSubscriber(s.url, { replay: "none" });
    await first.live;
    for (const named of docs.slice(0, 4)) s.endpoint.publish(...named);
    deepStrictEqual(await collect(first, 4), docs.slice(0, 4));
    const since = first.nextSeq!;
    await first.close();
    for (const named of docs.slice(4)) s.endpoint.publish(...named);
    const again = await openWebSocketSubscriber(s.url, { replay: { since } });
    deepStrictEqual(await collect(again, "stop"), docs.slice(4));
    await again.close();
  });

  it("a client resuming from a restarted server is told so and gets all the new one holds", async () => {
    const docs = gaussianScanDocuments({ points: 3 });
    let resume: { since: number; epoch?: string };
    {
      await using before = await serve();
      const first = await openWebSocketSubscriber(before.url, { replay: "none" });
      await first.live;
      for (const named of docs.slice(0, 3)) before.endpoint.publish(...named);
      deepStrictEqual(await collect(first, 3), docs.slice(0, 3));
      resume = { since: first.nextSeq!, epoch: first.epoch };
      ok(resume.epoch, "the live frame names the server's epoch");
      await first.close();
    }
    // The restarted server numbers anew: by now it has sent as many documents as the old one,
    // so the seq alone cannot tell; the epoch does. Without an epoch, a seq beyond its last does.
    const later = gaussianScanDocuments({ points: 3 });
    await using after = await serve();
    for (const named of later) after.endpoint.publish(...named);
    for (const replay of [resume, { since: after.endpoint.nextSeq + 5 }]) {
      const gaps: DocumentGap[] = [];
      const again = await openWebSocketSubscriber(after.url, {
        replay,
        onGap: (g) => gaps.push(g),
      });
      deepStrictEqual(await collect(again, "stop"), later);
      strictEqual(gaps[0]?.reason, "restarted", JSON.stringify(gaps));
      strictEqual(again.epoch, after.endpoint.epoch);
      await again.close();
    }
  });

  it("a slow client is never waited for: what it misses is reported as a gap with its count", async () => {
    await using s = await serve({ highWaterBytes: 16 * 1024, maxLogDocuments: 20 });
    const gaps: DocumentGap[] = [];
    const slow = await openWebSocketSubscriber(s.url, {
      replay: "none",
      maxBuffered: 4,
      onGap: (g) => gaps.push(g),
    });
    await slow.live;
    // ~20 MB in one burst: far more than the socket buffers and the 20-document log hold.
    const docs = gaussianScanDocuments({ points: 2000, imageShape: [40, 100] });
    for (const named of docs) s.endpoint.publish(...named);
    const received = await collect(slow, "stop");
    const missed = gaps.reduce((n, g) => n + (g.missed ?? 0), 0);
    ok(gaps.length > 0 && gaps.every((g) => g.reason === "evicted"));
    strictEqual(received.length + missed, docs.length);
    deepStrictEqual(received.at(-1), docs.at(-1));
    await slow.close();
  });

  it("a client that stops reading does not hold back the others", async () => {
    await using s = await serve({ highWaterBytes: 64 * 1024 });
    const stalled = await openWebSocketSubscriber(s.url, { replay: "none", maxBuffered: 2 });
    const reader = await openWebSocketSubscriber(s.url, { replay: "none" });
    await Promise.all([stalled.live, reader.live]);
    const docs = gaussianScanDocuments({ points: 300, imageShape: [40, 100] });
    for (const named of docs) s.endpoint.publish(...named);
    deepStrictEqual(await collect(reader, "stop"), docs);
    // The stalled one has read nothing yet; with a log big enough, it loses nothing either.
    deepStrictEqual(await collect(stalled, "stop"), docs);
    await Promise.all([stalled.close(), reader.close()]);
  });

  it("serves msgpack frames to clients that ask for them", async () => {
    await using s = await serve({ formats: ["json", "msgpack"] });
    const client = await openWebSocketSubscriber(s.url, { format: "msgpack", replay: "none" });
    await client.live;
    const docs = gaussianScanDocuments({ points: 2 });
    for (const named of docs) s.endpoint.publish(...named);
    deepStrictEqual(await collect(client, "stop"), docs);
    await client.close();
  });

  it("refuses a bad request with code 1008 and a reason naming it", async () => {
    await using s = await serve();
    const ws = new WebSocket(`${s.url}?format=msgpack`);
    const [code, reason] = (await once(ws, "close")) as [number, Buffer];
    strictEqual(code, 1008);
    ok(reason.toString().includes("format=msgpack"));
  });

  it("refuses a bad query value in non-ASCII text without crashing (reason cut by UTF-8 bytes)", async () => {
    await using s = await serve();
    const bad = encodeURIComponent("é".repeat(100));
    const ws = new WebSocket(`${s.url}?replay=${bad}`);
    const [code, reason] = (await once(ws, "close")) as [number, Buffer];
    strictEqual(code, 1008);
    ok(reason.byteLength <= 123 && reason.byteLength > 0, `${reason.byteLength} bytes`);
    ok(!reason.toString().includes("\uFFFD"), "no character is cut in half");
    // The server is still serving.
    const client = await openWebSocketSubscriber(s.url, { replay: "none" });
    await client.live;
    await client.close();
  });

  it("cuts close reasons by UTF-8 bytes, at a character boundary", () => {
    strictEqual(closeReason("short"), "short");
    const cut = closeReason("€".repeat(60));
    strictEqual(cut, "€".repeat(41));
    strictEqual(closeReason("a😀".repeat(40)), `${"a😀".repeat(24)}a`);
  });

  it("a refused client sending an oversized frame does not crash the server", async () => {
    await using s = await serve({ authorize: () => false });
    const ws = new WebSocket(s.url);
    ws.on("error", () => {});
    ws.on("open", () => ws.send(Buffer.alloc(100_000)));
    const [code] = (await once(ws, "close")) as [number];
    ok(code === 4001 || code === 1009 || code === 1006, `closed with ${code}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    strictEqual(s.endpoint.clients, 0);
  });

  it("a throwing authorize refuses the connection", async () => {
    await using s = await serve({
      authorize: () => {
        throw new Error("key store unreachable");
      },
    });
    const ws = new WebSocket(s.url);
    const [code] = (await once(ws, "close")) as [number];
    strictEqual(code, 4001);
  });

  it("mounts on an object holding the server (a fastify instance) and leaves other paths alone", async () => {
    await using s = await serve({ path: "/live" }, true);
    const other: string[] = [];
    s.server.on("upgrade", (request, socket) => {
      if (request.url?.startsWith("/other")) {
        other.push(request.url);
        socket.destroy();
      }
    });
    const client = await openWebSocketSubscriber(`ws://127.0.0.1:${s.port}/live`, {
      replay: "none",
    });
    await client.live;
    strictEqual(s.endpoint.clients, 1);
    const stray = new WebSocket(`ws://127.0.0.1:${s.port}/other`);
    await once(stray, "error");
    deepStrictEqual(other, ["/other"]);
    await client.close();
  });
});
