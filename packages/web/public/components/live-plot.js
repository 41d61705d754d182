// @ts-check
// The live 1-D plot: hinted detector fields against the first motor (or time), with uPlot.
import { html } from "htm/preact";
import { useCallback, useRef } from "preact/hooks";
import uPlot from "uplot";
import { useFrameRedraw } from "./use-frame.js";

const COLORS = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f"];

/** @param {{live: import("../lib/live-model.js").LiveRun}} props */
export function LivePlot({ live }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  const plot = useRef(/** @type {{u: uPlot, key: string} | null} */ (null));
  const draw = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const key = `${live.start?.uid}|${live.xKey}|${live.yKeys.join(",")}`;
    if (!plot.current || plot.current.key !== key) {
      plot.current?.u.destroy();
      plot.current = null;
      if (!live.yKeys.length) return;
      const opts = {
        width: Math.max(300, el.clientWidth),
        height: 320,
        scales: { x: { time: live.xKey === "time" } },
        axes: [{ label: live.xKey }, {}],
        series: [
          { label: live.xKey },
          ...live.yKeys.map((k, i) => ({
            label: k,
            stroke: COLORS[i % COLORS.length],
            width: 1.5,
            // uPlot draws the markers only while they have room: at thousands of points
            // they would cost more per frame than the line itself.
            points: { size: 4 },
          })),
        ],
      };
      plot.current = { u: new uPlot(opts, [[], ...live.yKeys.map(() => [])], el), key };
    }
    // uPlot reads the arrays as they are; the model only appends to them.
    plot.current.u.setData([live.x, ...live.yKeys.map((k) => live.y[k] ?? [])]);
    el.dataset["points"] = String(live.x.length);
    el.dataset["lastX"] = String(live.x[live.x.length - 1] ?? "");
  }, [live]);
  useFrameRedraw(live, draw);
  return html`<div ref=${box} class="live-plot" data-testid="live-plot" data-points="0" role="img"
    aria-label="Live plot of the hinted signals against the scanned motor"></div>`;
}
