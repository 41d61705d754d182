// The live views in headless Chromium, fed through the bus's real document WebSocket: the 1-D
// plot of a peak scan, the 2-D map and latest image of a grid scan, and a burst of events far
// above 1,000/s with every point arriving. The queue routes are a fake (see fake-queue-api.ts).
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { attachDocumentWebSocket, type DocumentWebSocket } from "@cerulean/bus";
import type { NamedDocument } from "@cerulean/event-model";
import Fastify, { type FastifyInstance } from "fastify";
import type { Page } from "playwright-core";
import { registerWebUi } from "../src/index.ts";
import { type Browser, openBrowser } from "./support/browser.ts";
import { registerFakeQueueApi } from "./support/fake-queue-api.ts";
import { gridScanWithImages, peakScan } from "./support/synthetic-runs.ts";

const DOCS = new URL("../docs/", import.meta.url).pathname;
const WAIT = { timeout: 20_000 };

let app: FastifyInstance;
let docs: DocumentWebSocket;
let browser: Browser;
let page: Page;

/** The server side: the UI, the fake queue routes and the real document WebSocket. */
async function startServer(port: number): Promise<number> {
  app = Fastify();
  registerFakeQueueApi(app);
  await registerWebUi(app, { pollMs: 200 });
  docs = attachDocumentWebSocket(app, { heartbeatMs: 0 });
  await app.listen({ host: "127.0.0.1", port });
  return (app.server.address() as AddressInfo).port;
}

before(async () => {
  await startServer(0);
  browser = await openBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  const { port } = app.server.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/#/live`);
  await page.getByText("Waiting for a run to start").waitFor(WAIT);
});

after(async () => {
  await browser?.close();
  await docs?.close();
  await app?.close();
});

/** Publishes in slices, yielding between them so the socket writes as it goes. */
async function publish(documents: NamedDocument[], slice = 500): Promise<void> {
  for (let i = 0; i < documents.length; i += slice) {
    for (const [name, doc] of documents.slice(i, i + slice)) docs.publish(name, doc as never);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const waitForPoints = (n: number) =>
  page.waitForFunction(
    `document.querySelector("[data-testid=live-plot]")?.getAttribute("data-points") === "${n}"`,
    undefined,
    WAIT,
  );

test("a 1-D scan is plotted point by point against its motor", async () => {
  await publish(peakScan(41));
  await waitForPoints(41);
  await page.getByTestId("live-run").getByText("success").waitFor(WAIT);
  const legend = String(await page.getByTestId("live-plot").textContent());
  assert.match(legend, /motor/);
  assert.match(legend, /det/);
  await page.screenshot({ path: `${DOCS}live-scan.png` });
});

test("a grid scan fills the 2-D map and shows the latest image", async () => {
  await publish(gridScanWithImages(12, 16));
  await waitForPoints(12 * 16);
  await page.getByTestId("grid-map").waitFor({ state: "visible", ...WAIT });
  await page.getByTestId("latest-image").waitFor({ state: "visible", ...WAIT });
  await page.getByTestId("live-run").getByText("grid_scan").waitFor(WAIT);
  await page.getByTestId("live-run").getByText("success").waitFor(WAIT);
  const map = await page.evaluate(`(() => {
    const c = document.querySelector("[data-testid=grid-map]");
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let unmeasured = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] === 230 && px[i + 1] === 236) unmeasured++;
    return { w: c.width, h: c.height, unmeasured };
  })()`);
  assert.deepEqual(map, { w: 16, h: 12, unmeasured: 0 });
  const image = await page.evaluate(
    `(() => { const c = document.querySelector("[data-testid=latest-image]"); return [c.width, c.height]; })()`,
  );
  assert.deepEqual(image, [32, 24]);
  await page.screenshot({ path: `${DOCS}live-grid.png` });
});

test("a burst of 5,000 events (far above 1,000/s) arrives whole and the page stays live", async () => {
  await publish(peakScan(5000));
  await waitForPoints(5000);
  await page.waitForFunction(
    `document.querySelector("[data-testid=live-events]")?.textContent === "5000"`,
    undefined,
    WAIT,
  );
  // The page still answers (its main thread is not stuck behind the burst).
  assert.equal(await page.evaluate("1 + 1"), 2);
  assert.deepEqual(
    browser.errors.filter((e) => !/console_output\/ws|WebSocket/.test(e)),
    [],
  );
});

test("after the server goes away and comes back, the page reconnects and plots the next run", async () => {
  const { port } = app.server.address() as AddressInfo;
  await docs.close();
  await app.close();
  await page.getByText("Document stream disconnected").waitFor(WAIT);
  await page.getByTestId("connection-error").waitFor(WAIT);
  await page.screenshot({ path: `${DOCS}connection-lost.png` });
  await startServer(port);
  await page.getByTestId("connection-error").waitFor({ state: "detached", ...WAIT });
  await page.getByText("Document stream disconnected").waitFor({ state: "detached", ...WAIT });
  await publish(peakScan(7));
  await waitForPoints(7);
});
