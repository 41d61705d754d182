// @ts-check
// The latest frame of each image key (a 2-D array inline in an event), grey scale: a detector's
// images in the plotted run, and those of any other run on the stream (a streaming
// reconstruction's `slice`), side by side.
import { html } from "htm/preact";
import { useCallback, useRef } from "preact/hooks";
import { drawGrey } from "./grid-map.js";
import { useFrameRedraw } from "./use-frame.js";

/** @param {{live: import("../lib/live-model.js").LiveRun, imageKey: string}} props */
function ImageCanvas({ live, imageKey }) {
  const ref = useRef(/** @type {HTMLCanvasElement | null} */ (null));
  const drawn = useRef(0);
  const draw = useCallback(() => {
    const im = live.images.find((i) => i.key === imageKey);
    if (!im || !ref.current || im.seq === drawn.current) return;
    drawn.current = im.seq;
    const rows = im.rows.length;
    const cols = im.rows[0]?.length ?? 0;
    drawGrey(ref.current, im.rows.flat(), rows, cols);
    ref.current.dataset["run"] = im.run;
  }, [live, imageKey]);
  useFrameRedraw(live, draw);
  const im = live.images.find((i) => i.key === imageKey);
  const other = im && im.run !== live.start?.uid;
  return html`<figure>
    <canvas ref=${ref} class="map" style="width:320px" data-testid=${`image-${imageKey}`}
      role="img" aria-label=${`Latest ${imageKey}${im?.plan ? ` of ${im.plan}` : ""}`}></canvas>
    <figcaption class="muted">latest <strong>${imageKey}</strong>${
      other && im
        ? html` · run <a href=${`#/runs/${im.run}`}><code>${im.run.slice(0, 8)}</code></a>${im.plan ? ` (${im.plan})` : ""}`
        : ""
    }</figcaption></figure>`;
}

/** @param {{live: import("../lib/live-model.js").LiveRun}} props */
export function LatestImage({ live }) {
  // The parent re-renders a few times a second, which picks up new keys; canvases redraw per frame.
  return html`<div class="controls images" data-testid="latest-images">
    ${live.images.map((im) => html`<${ImageCanvas} key=${im.key} live=${live} imageKey=${im.key} />`)}
  </div>`;
}
