// End to end: a fly scan whose flyer hands over its events in pages (collectPages, 10,000
// events each, one collect per page as a periodic collection does) through the engine into
// the catalog (SQLite), committed; against the same plan with no subscriber.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCatalog } from "@cerulean/broker";
import { createSimBeamline } from "@cerulean/devices/sim";
import { type Msg, msg, RunEngine } from "@cerulean/engine";
import type { PartialEventPage } from "@cerulean/event-model";
import { quick, rates, report } from "./harness.ts";

const pageSize = 10_000;
const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const work = mkdtempSync(join(tmpdir(), "cerulean-bench-e2e-fly-"));
const hw = await createSimBeamline({ seed: 1, dataDir: join(work, "files") });

/** A flyer holding `total` events of an encoder and a detector, handed over a page at a time. */
function pagedFlyer(total: number) {
  let next = 0;
  return {
    name: "fly",
    kickoff: () => {
      next = 0;
      return hw.trivial_flyer.kickoff();
    },
    complete: () => hw.trivial_flyer.complete(),
    describeCollect: async () => ({
      fly: {
        fly_x: { dtype: "number" as const, shape: [], source: "bench:encoder" },
        fly_det: { dtype: "number" as const, shape: [], source: "bench:detector" },
      },
    }),
    *collectPages(): Generator<PartialEventPage> {
      const rows = Math.min(pageSize, total - next);
      if (rows <= 0) return;
      const time: number[] = new Array(rows);
      const x: number[] = new Array(rows);
      const det: number[] = new Array(rows);
      for (let i = 0; i < rows; i++) {
        const k = next + i;
        time[i] = 1.7e9 + k * 1e-4;
        x[i] = -1 + (2 * k) / total;
        det[i] = Math.exp(-((x[i] ?? 0) ** 2) * 4);
      }
      next += rows;
      yield { time, data: { fly_x: x, fly_det: det }, timestamps: { fly_x: time, fly_det: time } };
    },
  };
}

function flyPlan(flyer: ReturnType<typeof pagedFlyer>, total: number): Msg[] {
  const messages: Msg[] = [
    msg("open_run", null, { kwargs: { plan_name: "fly_bench", num_points: total } }),
    msg("kickoff", flyer, { kwargs: { group: "k" } }),
    msg("wait", null, { kwargs: { group: "k" } }),
    msg("complete", flyer, { kwargs: { group: "c" } }),
    msg("wait", null, { kwargs: { group: "c" } }),
  ];
  for (let i = 0; i < total / pageSize; i++) {
    messages.push(msg("collect", flyer, { kwargs: { return_payload: false } }));
  }
  messages.push(msg("close_run"));
  return messages;
}

const RE = new RunEngine({ log: { info: () => {}, warn: (m) => console.error(m) } });
let rows = 0;
RE.subscribe((name, doc) => {
  if (name === "event_page") rows += (doc as { seq_num: number[] }).seq_num.length;
});
function expectRows(total: number): void {
  if (rows !== total) throw new Error(`the fly scan emitted ${rows} events, expected ${total}`);
  rows = 0;
}

try {
  for (const n of sizes) {
    const options = { repeats: n >= 1_000_000 ? 1 : 3, warmup: n >= 1_000_000 ? 0 : 1 };
    const flyer = pagedFlyer(n);
    const catalog = await openCatalog(join(work, `fly-${n}.sqlite`));
    try {
      // The same plan without and with the catalog subscribed, timed in turn.
      const [bare, stored] = await rates(
        "events/s",
        n,
        [
          {
            name: `e2e-fly.bare_engine_${n}`,
            run: async () => {
              await RE.call(flyPlan(flyer, n));
              expectRows(n);
            },
          },
          {
            name: `e2e-fly.catalog_${n}`,
            run: async () => {
              const token = RE.subscribe(catalog.insert);
              try {
                await RE.call(flyPlan(flyer, n));
                await catalog.flush();
              } finally {
                RE.unsubscribe(token);
              }
              expectRows(n);
            },
          },
        ],
        options,
      );
      if (!bare || !stored) throw new Error("rates() returned fewer figures than contenders");
      report({
        name: `e2e-fly.catalog_vs_bare_${n}`,
        unit: "ratio",
        n,
        value: stored.value / bare.value,
      });
    } finally {
      await catalog.close();
    }
    // Sizes grow, so the process's peak so far is the peak of the largest run yet.
    report({
      name: `e2e-fly.peak_rss_${n}`,
      unit: "MiB",
      n,
      value: process.resourceUsage().maxRSS / 1024,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
