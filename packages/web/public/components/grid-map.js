// @ts-check
// The 2-D map of a grid scan: the first hinted field, one pixel per grid point, grey scale.
import { html } from "htm/preact";
import { useCallback, useRef } from "preact/hooks";
import { useFrameRedraw } from "./use-frame.js";

/** Draws a rows×cols float array (NaN = not measured yet) into a canvas, scaled to min..max. */
export function drawGrey(
  /** @type {HTMLCanvasElement} */ canvas,
  /** @type {ArrayLike<number>} */ values,
  /** @type {number} */ rows,
  /** @type {number} */ cols,
) {
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const img = ctx.createImageData(cols, rows);
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < rows * cols; i++) {
    const v = values[i] ?? Number.NaN;
    const g = Number.isFinite(v) ? Math.round(((v - lo) / span) * 255) : 0;
    img.data.set(Number.isFinite(v) ? [g, g, g, 255] : [230, 236, 243, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

/** @param {{live: import("../lib/live-model.js").LiveRun}} props */
export function GridMap({ live }) {
  const ref = useRef(/** @type {HTMLCanvasElement | null} */ (null));
  const draw = useCallback(() => {
    const g = live.grid;
    if (g && ref.current) drawGrey(ref.current, g.values, g.shape[0] ?? 1, g.shape[1] ?? 1);
  }, [live]);
  useFrameRedraw(live, draw);
  // The canvas is always in the page (hidden without a grid) so the frame loop can draw into it.
  const g = live.grid;
  return html`<figure hidden=${!g}><canvas ref=${ref} class="map" style="width:320px" data-testid="grid-map"
    aria-label=${g ? `Map of ${live.yKeys[0]} over ${g.motors.join(" × ")}` : "grid map"}></canvas>
    <figcaption class="muted">${g ? `${live.yKeys[0]} over ${g.motors.join(" (rows) × ")} (columns)` : ""}</figcaption></figure>`;
}
