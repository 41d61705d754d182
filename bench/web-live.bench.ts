// The web UI's live view in headless Chromium against the real stack (`cerulean serve`'s
// wiring), fed a 1-D scan through the real document WebSocket at a steady 1,000 events/s (and
// faster, for headroom): points plotted against points sent (dropped must be 0), how long the
// plot takes to catch up after the last event, and the page's main thread while streaming:
// animation frames per second, the 95th-percentile and worst frame interval, long tasks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServeStack } from "../packages/cli/src/commands/serve.ts";
import { openBrowser } from "../packages/web/test/support/browser.ts";
import { FRAME_PROBE, type FrameStats, publishPaced } from "../packages/web/test/support/paced.ts";
import { peakScan } from "../packages/web/test/support/synthetic-runs.ts";
import { quick, report } from "./harness.ts";

const seconds = quick ? 3 : 10;
const rates = quick ? [1_000] : [1_000, 5_000];
const work = mkdtempSync(join(tmpdir(), "cerulean-bench-web-live-"));
const stack = await startServeStack({ dataDir: work, port: 0, onError: console.error });
const browser = await openBrowser();
const { page } = browser;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const plotted = async () =>
  Number(
    await page.evaluate(
      `document.querySelector("[data-testid=live-plot]")?.getAttribute("data-points") ?? "0"`,
    ),
  );

try {
  await page.addInitScript(FRAME_PROBE);
  await page.goto(`${stack.url}/#/live`);
  await page.getByText("Waiting for a run to start").waitFor({ timeout: 20_000 });
  // Warm-up: a short scan, so the first measured run does not pay for compiling the page.
  await publishPaced(stack.documents.publish, peakScan(500), 5_000);
  await page.waitForFunction(
    `document.querySelector("[data-testid=live-plot]")?.dataset.points === "500"`,
  );

  for (const eventsPerSecond of rates) {
    const sent = eventsPerSecond * seconds;
    const docs = peakScan(sent);
    await page.evaluate("window.__probe.start()");
    const took = await publishPaced(stack.documents.publish, docs, eventsPerSecond);
    const t0 = performance.now();
    // Late is not lost: wait up to 30 s for the page to catch up before counting drops.
    const deadline = t0 + 30_000;
    while ((await plotted()) < sent && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const catchUpMs = performance.now() - t0;
    const stats = (await page.evaluate("window.__probe.read()")) as FrameStats;
    const points = await plotted();
    const tag = `web-live.${eventsPerSecond}_per_s`;
    report({ name: `${tag}.events_sent`, unit: "events", n: sent, value: sent });
    report({ name: `${tag}.points_plotted`, unit: "points", n: sent, value: points });
    report({ name: `${tag}.dropped`, unit: "points", n: sent, value: sent - points });
    report({ name: `${tag}.send_rate`, unit: "events/s", n: sent, value: sent / took });
    report({ name: `${tag}.catch_up`, unit: "ms", n: sent, value: catchUpMs });
    report({
      name: `${tag}.fps`,
      unit: "frames/s",
      n: stats.frames,
      value: stats.frames / stats.seconds,
    });
    report({
      name: `${tag}.frame_p95`,
      unit: "ms",
      n: stats.frames,
      value: percentile(stats.intervals, 95),
    });
    report({
      name: `${tag}.frame_max`,
      unit: "ms",
      n: stats.frames,
      value: percentile(stats.intervals, 100),
    });
    report({ name: `${tag}.long_tasks`, unit: "tasks", n: stats.frames, value: stats.longTasks });
    report({ name: `${tag}.long_task_time`, unit: "ms", n: stats.frames, value: stats.longTaskMs });
    if (points !== sent) throw new Error(`${sent - points} of ${sent} points were not plotted`);
  }
  if (browser.errors.length) throw new Error(`browser errors: ${browser.errors.join("; ")}`);
} finally {
  await browser.close();
  await stack.close();
  rmSync(work, { recursive: true, force: true });
}
