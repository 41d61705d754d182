// @ts-check
// The live data screen: what run is going, the 1-D plot, the 2-D map and the latest image.
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { GridMap } from "./grid-map.js";
import { LatestImage } from "./latest-image.js";
import { LivePlot } from "./live-plot.js";

/** @param {{live: import("../lib/live-model.js").LiveRun, state: any, docs: {connected: boolean, gap?: string}}} props */
export function LiveView({ live, docs }) {
  // The header text re-renders a few times a second; the plots redraw per frame by themselves.
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 300);
    return () => clearInterval(t);
  }, []);
  const s = live.start;
  return html`
    <section class="panel" aria-labelledby="live-h">
      <h2 id="live-h">Live data</h2>
      ${!docs.connected && html`<div class="banner error" role="alert">Document stream disconnected; reconnecting…</div>`}
      ${docs.gap && html`<div class="banner error" role="alert">${docs.gap}</div>`}
      ${
        s
          ? html`<p data-testid="live-run">
              Run <a href=${`#/runs/${s.uid}`}><code>${String(s.uid).slice(0, 8)}</code></a>
              ${s.scan_id !== undefined ? ` · scan ${s.scan_id}` : ""}${" · "}<strong>${s.plan_name ?? ""}</strong>${" · "}
              <span data-testid="live-events">${live.events}</span>${live.expected ? ` / ${live.expected}` : ""} events${" · "}
              ${live.stop ? html`<span class=${`status-${live.stop.exit_status}`}>${live.stop.exit_status}</span>` : "running"}</p>`
          : html`<p class="muted">Waiting for a run to start…</p>`
      }
      <${LivePlot} live=${live} />
      <div class="controls images"><${GridMap} live=${live} /><${LatestImage} live=${live} /></div>
    </section>`;
}
