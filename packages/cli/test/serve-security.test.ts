// With an API key, everything `cerulean serve` puts on its port asks for it: the queue API, the
// catalog's read API and the live documents (runs are as private as the queue's history).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openWebSocketSubscriber } from "@cerulean/bus";
import { composeRun } from "@cerulean/event-model";
import { within } from "@cerulean/event-model/testing";
import { type ServeStack, startServeStack } from "../src/commands/serve.ts";

describe("serve with an API key", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cerulean-serve-security-"));
  let stack: ServeStack;
  before(async () => {
    stack = await startServeStack({
      dataDir,
      port: 0,
      reconstruct: false,
      security: { apiKey: "secret", users: { obs: { user: "olga", role: "observer" } } },
    });
  });
  after(async () => {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses the catalog API without a key or with a wrong one, naming the scope", async () => {
    for (const init of [{}, { headers: { authorization: "ApiKey wrong" } }]) {
      const reply = await fetch(`${stack.catalogUrl}/search/`, init);
      assert.equal(reply.status, 401);
      const { detail } = (await reply.json()) as { detail: string };
      assert.match(detail, /\/api\/v1\/search\/ needs an API key with the scope read:history/);
    }
    assert.equal((await fetch(`${stack.url}/api/status`)).status, 401, "the queue API too");
  });

  it("serves the catalog API to the key in the header or as ?api_key=, and to an observer", async () => {
    const byHeader = await fetch(`${stack.catalogUrl}/search/`, {
      headers: { authorization: "ApiKey secret" },
    });
    assert.equal(byHeader.status, 200);
    assert.equal((await fetch(`${stack.catalogUrl}/search/?api_key=secret`)).status, 200);
    assert.equal((await fetch(`${stack.catalogUrl}/search/?api_key=obs`)).status, 200);
  });

  it("closes the document WebSocket on a client without a key, and streams to one with it", async () => {
    const anonymous = await openWebSocketSubscriber(stack.documentsUrl, { replay: "none" });
    await assert.rejects(
      within(anonymous[Symbol.asyncIterator]().next(), "the refused socket to end"),
      /closed with code 4001: Invalid token/,
    );
    await anonymous.close();

    const keyed = await openWebSocketSubscriber(`${stack.documentsUrl}?api_key=secret`, {
      replay: "none",
    });
    const first = keyed[Symbol.asyncIterator]().next();
    const run = composeRun({ metadata: { plan_name: "count" } });
    // The socket is registered once the server has answered the upgrade; publish until it hears.
    const timer = setInterval(() => stack.documents.publish("start", run.startDoc), 50);
    try {
      const { value } = await within(first, "the start document on the keyed socket");
      assert.deepEqual(value, ["start", run.startDoc]);
    } finally {
      clearInterval(timer);
      await keyed.close();
    }
  });
});
