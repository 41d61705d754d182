// Publishing documents at a steady rate (events per second), and a probe of the page's main
// thread while it receives them: animation-frame intervals and long tasks (> 50 ms).
import type { NamedDocument } from "@cerulean/event-model";

/**
 * Publishes `documents` so that events go out at `eventsPerSecond` (other documents go with
 * them), in small batches on a 5 ms timer; resolves when all are out, with the seconds taken.
 */
export async function publishPaced(
  publish: (...document: NamedDocument) => void,
  documents: readonly NamedDocument[],
  eventsPerSecond: number,
): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  let events = 0;
  while (next < documents.length) {
    const due = ((performance.now() - t0) / 1000) * eventsPerSecond;
    while (next < documents.length) {
      const doc = documents[next] as NamedDocument;
      if (doc[0] === "event" && events >= due) break;
      publish(...doc);
      if (doc[0] === "event") events++;
      next++;
    }
    if (next < documents.length) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return (performance.now() - t0) / 1000;
}

/** What the page's probe saw between start() and read(). */
export interface FrameStats {
  /** Animation frames seen. */
  frames: number;
  /** Seconds measured. */
  seconds: number;
  /** Intervals between animation frames, ms, sorted. */
  intervals: number[];
  /** Long tasks (> 50 ms) and their total duration, ms. */
  longTasks: number;
  longTaskMs: number;
}

/**
 * Installed with page.addInitScript: window.__probe.start() then .read() gives FrameStats.
 * Plain JavaScript, as it runs in the page.
 */
export const FRAME_PROBE = `(() => {
  const probe = { on: false, t0: 0, last: 0, intervals: [], longTasks: 0, longTaskMs: 0 };
  try {
    new PerformanceObserver((list) => {
      if (!probe.on) return;
      for (const e of list.getEntries()) { probe.longTasks++; probe.longTaskMs += e.duration; }
    }).observe({ type: "longtask", buffered: false });
  } catch {}
  const loop = (t) => {
    if (probe.on) { if (probe.last) probe.intervals.push(t - probe.last); probe.last = t; }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  window.__probe = {
    start() { Object.assign(probe, { on: true, t0: performance.now(), last: 0, intervals: [], longTasks: 0, longTaskMs: 0 }); },
    read() {
      probe.on = false;
      return { frames: probe.intervals.length + 1, seconds: (performance.now() - probe.t0) / 1000,
        intervals: [...probe.intervals].sort((a, b) => a - b), longTasks: probe.longTasks, longTaskMs: probe.longTaskMs };
    },
  };
})();`;
