// @ts-check
// Calls `draw` at most once per animation frame, and only when the live model changed: the
// batching that keeps 1,000 events/s responsive.
import { useEffect } from "preact/hooks";

/** @param {{version: number}} model @param {() => void} draw */
export function useFrameRedraw(model, draw) {
  useEffect(() => {
    let seen = -1;
    let id = 0;
    const loop = () => {
      if (model.version !== seen) {
        seen = model.version;
        draw();
      }
      id = requestAnimationFrame(loop);
    };
    id = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(id);
  }, [model, draw]);
}
