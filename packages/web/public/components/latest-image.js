// @ts-check
// The latest frame of an image detector (a 2-D array in the event), grey scale.
import { html } from "htm/preact";
import { useCallback, useRef } from "preact/hooks";
import { drawGrey } from "./grid-map.js";
import { useFrameRedraw } from "./use-frame.js";

/** @param {{live: import("../lib/live-model.js").LiveRun}} props */
export function LatestImage({ live }) {
  const ref = useRef(/** @type {HTMLCanvasElement | null} */ (null));
  const draw = useCallback(() => {
    const im = live.image;
    if (!im || !ref.current) return;
    const rows = im.rows.length;
    const cols = im.rows[0]?.length ?? 0;
    drawGrey(ref.current, im.rows.flat(), rows, cols);
  }, [live]);
  useFrameRedraw(live, draw);
  const im = live.image;
  return html`<figure hidden=${!im}><canvas ref=${ref} class="map" style="width:320px" data-testid="latest-image"
    aria-label=${im ? `Latest image of ${im.key}` : "latest image"}></canvas><figcaption class="muted">${im ? `latest ${im.key}` : ""}</figcaption></figure>`;
}
