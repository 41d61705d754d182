// The UI against a server started with an API key (as on a beamline network), in headless
// Chromium: without a key it asks for one instead of pretending the server is gone; with it,
// every part works, the WebSockets included (they carry the key as ?api_key=).
import assert from "node:assert/strict";
import { test } from "node:test";
import { QueueServerClient } from "@cerulean/queueserver";
import type { Page } from "playwright-core";
import type { RealStack } from "./support/real-stack.ts";
import { peakScan } from "./support/synthetic-runs.ts";
import { withUiSession } from "./support/ui-session.ts";

const WAIT = { timeout: 20_000 };

let stack: RealStack;
let page: Page;

withUiSession((ui) => ({ stack, page } = ui), { security: { apiKey: "beamline-secret" } });

test("without a key the UI asks for one; the key entered is used everywhere", async () => {
  await page.goto(`${stack.url}/`);
  const form = page.getByTestId("api-key-form");
  await form.waitFor(WAIT);
  assert.match(String(await form.textContent()), /needs an API key \(401: /);
  assert.equal(await page.getByTestId("connection-error").count(), 0);

  await form.getByLabel("API key").fill("beamline-secret");
  await form.getByRole("button", { name: "Use key" }).click();
  await page.getByTestId("connection").getByText("connected").waitFor(WAIT);
  assert.equal(await form.count(), 0);

  // The keyed API calls work: a console line written now shows up.
  const client = new QueueServerClient({ url: stack.url, apiKey: "beamline-secret" });
  const reply = await client.post("/api/agent/register", { name: "keyed", limits: {} });
  assert.equal(reply["success"], true, String(reply["msg"]));
  await page.getByTestId("console").getByText("Agent 'keyed' registered").waitFor(WAIT);

  // The document WebSocket (no polling fallback) takes the key: a run published now is drawn.
  await page.goto(`${stack.url}/#/live`);
  await page.getByText("Waiting for a run to start").waitFor(WAIT);
  for (const [name, doc] of peakScan(5)) stack.documents.publish(name, doc as never);
  await page
    .locator('[data-testid=live-plot][data-points="5"]')
    .waitFor({ state: "attached", ...WAIT });
});

test("a key given in the address is kept out of it; a wrong one is asked for again", async () => {
  await page.goto(`${stack.url}/?api_key=wrong#/runs`);
  const form = page.getByTestId("api-key-form");
  await form.waitFor(WAIT);
  assert.match(String(await form.textContent()), /Invalid API key/);
  assert.equal(new URL(page.url()).search, "", "the key is still in the address bar");
  assert.equal(new URL(page.url()).hash, "#/runs");
});
