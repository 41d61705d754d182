// @ts-check
// The item being executed, with progress from the live document stream.
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { itemSummary } from "../lib/plan-params.js";

/** @param {{item: any, status: any, live: import("../lib/live-model.js").LiveRun}} props */
export function RunningItem({ item, status, live }) {
  // Progress reads the mutable live model; re-render a few times a second, not per event.
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, []);
  const running = item?.name;
  const expected = live.expected;
  const mine =
    running && live.start && (live.start.queue_item_uid ?? item.item_uid) === item.item_uid;
  return html`
    <section class="panel" aria-labelledby="running-h">
      <h2 id="running-h">Running</h2>
      ${
        running
          ? html`<p class="item-text" data-testid="running-item"><code>${itemSummary(item)}</code>
            <span class="muted"> by ${item.user}</span></p>
            ${
              mine &&
              html`<label>${live.events}${expected ? ` / ${expected}` : ""} events
              ${status?.re_state === "paused" ? " (paused)" : ""}
              <progress max=${expected ?? undefined} value=${expected ? live.events : undefined}></progress></label>`
            }`
          : html`<p class="muted">Nothing is running.</p>`
      }
    </section>`;
}
