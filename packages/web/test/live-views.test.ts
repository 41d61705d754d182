// The live views in headless Chromium against the real stack (`cerulean serve`'s wiring), fed
// synthetic documents through its real document WebSocket: the 1-D plot of a peak scan, the
// 2-D map and latest image of a grid scan, a reconstruction's slices beside a running scan, and
// a burst of events far above 1,000/s with every point arriving.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { NamedDocument } from "@cerulean/event-model";
import type { Page } from "playwright-core";
import { type Browser, openBrowser } from "./support/browser.ts";
import { publishPaced } from "./support/paced.ts";
import { type RealStack, startRealStack } from "./support/real-stack.ts";
import { DOCS } from "./support/screenshots.ts";
import {
  gridScanWithImages,
  interleave,
  lastEventData,
  peakScan,
  reconstructionRun,
  runUid,
} from "./support/synthetic-runs.ts";

const WAIT = { timeout: 20_000 };

// Kept across the restart of the last test, so the server comes back with its data.
const dataDir = mkdtempSync(join(tmpdir(), "cerulean-web-live-"));
let stack: RealStack;
let browser: Browser;
let page: Page;

before(async () => {
  stack = await startRealStack({ dataDir });
  browser = await openBrowser();
  page = browser.page;
  page.setDefaultTimeout(15_000);
  await page.goto(`${stack.url}/#/live`);
  await page.getByText("Waiting for a run to start").waitFor(WAIT);
});

after(async () => {
  await browser?.close();
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Publishes in slices, yielding between them so the socket writes as it goes. */
async function publish(documents: NamedDocument[], slice = 500): Promise<void> {
  for (let i = 0; i < documents.length; i += slice) {
    for (const [name, doc] of documents.slice(i, i + slice))
      stack.documents.publish(name, doc as never);
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
  await page.getByTestId("image-cam").waitFor({ state: "visible", ...WAIT });
  await page.getByTestId("live-run").getByText("grid_scan").waitFor(WAIT);
  await page.getByTestId("live-run").getByText("success").waitFor(WAIT);
  const mapState = `(() => {
    const c = document.querySelector("[data-testid=grid-map]");
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let unmeasured = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] === 230 && px[i + 1] === 236) unmeasured++;
    return { w: c.width, h: c.height, unmeasured };
  })()`;
  const imageSize = `(() => { const c = document.querySelector("[data-testid=image-cam]"); return [c.width, c.height]; })()`;
  // The canvases are drawn on the next animation frame after the last event.
  await page.waitForFunction(
    `JSON.stringify([${mapState}, ${imageSize}]) === ${JSON.stringify(JSON.stringify([{ w: 16, h: 12, unmeasured: 0 }, [32, 24]]))}`,
    undefined,
    WAIT,
  );
  assert.deepEqual(await page.evaluate(mapState), { w: 16, h: 12, unmeasured: 0 });
  assert.deepEqual(await page.evaluate(imageSize), [32, 24]);
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
  assert.deepEqual(browser.errors, []);
});

test("a scan streamed at 1,000 events/s is plotted whole: every point sent is plotted", async () => {
  const scan = peakScan(1500);
  await publishPaced(stack.documents.publish, scan, 1000);
  await waitForPoints(1500);
  // Counts and values, not times: the plotted x values are exactly the motor positions sent.
  const plotted = (await page.evaluate(
    `(() => { const el = document.querySelector("[data-testid=live-plot]"); return [el.dataset.points, el.dataset.lastX]; })()`,
  )) as [string, string];
  assert.deepEqual(plotted, ["1500", String(lastEventData(scan)["motor"])]);
  // The header's event count re-renders a few times a second; it reaches the same count.
  await page.waitForFunction(
    `document.querySelector("[data-testid=live-events]")?.textContent === "1500"`,
    undefined,
    WAIT,
  );
});

test("a reconstruction's slice shows beside the scan it reconstructs, which keeps the plot", async () => {
  const scan = peakScan(60);
  const recon = reconstructionRun(12, 64);
  await publish(interleave(scan, recon), 7);
  await waitForPoints(60);
  const slice = page.getByTestId("image-slice");
  await slice.waitFor({ state: "visible", ...WAIT });
  const reconUid = runUid(recon);
  await page.waitForFunction(
    `document.querySelector("[data-testid=image-slice]")?.dataset.run === "${reconUid}"`,
    undefined,
    WAIT,
  );
  const drawn = await page.evaluate(`(() => {
    const c = document.querySelector("[data-testid=image-slice]");
    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    const at = (i, j) => px[(i * c.width + j) * 4];
    return { w: c.width, h: c.height, centre: at(32, 32), corner: at(0, 0) };
  })()`);
  // A bright disk on a dark ground, at the slice's size.
  assert.deepEqual(drawn, { w: 64, h: 64, centre: 255, corner: 0 });
  // Caption and header re-render a few times a second (the canvases once per frame).
  await page
    .getByTestId("latest-images")
    .getByText(/latest slice · run .{8} \(streaming_fbp\)/)
    .waitFor(WAIT);
  await page.getByTestId("live-run").getByText("scan", { exact: true }).waitFor(WAIT);
  await page.getByTestId("live-run").getByText("success").waitFor(WAIT);
  await page.screenshot({ path: `${DOCS}live-slice.png` });
});

test("after the server goes away and comes back, the page reconnects and plots the next run", async () => {
  const port = stack.server.port;
  await stack.close();
  await page.getByText("Document stream disconnected").waitFor(WAIT);
  await page.getByTestId("connection-error").waitFor(WAIT);
  await page.screenshot({ path: `${DOCS}connection-lost.png` });
  stack = await startRealStack({ dataDir, port });
  await page.getByTestId("connection-error").waitFor({ state: "detached", ...WAIT });
  await page.getByText("Document stream disconnected").waitFor({ state: "detached", ...WAIT });
  await publish(peakScan(7));
  await waitForPoints(7);
});
