// @ts-check
// Finished items, newest first, with exit status and links to their runs.
import { html } from "htm/preact";
import { itemSummary } from "../lib/plan-params.js";
import { AgentBadges } from "./approval.js";

/** @param {{items: any[]}} props */
export function HistoryList({ items }) {
  const rows = [...items].reverse().slice(0, 100);
  return html`
    <section class="panel" aria-labelledby="history-h">
      <h2 id="history-h">History (${items.length})</h2>
      ${
        rows.length === 0
          ? html`<p class="muted">No finished items.</p>`
          : html`
      <table data-testid="history">
        <thead><tr><th>Item</th><th>Exit status</th><th>Finished</th><th>Runs</th></tr></thead>
        <tbody>${rows.map((it) => {
          const r = it.result ?? {};
          return html`<tr key=${it.item_uid}>
            <td><code>${itemSummary(it)}</code> <${AgentBadges} item=${it} />${r.msg ? html`<div class="muted">${r.msg}</div>` : ""}</td>
            <td class=${`status-${r.exit_status}`}>${r.exit_status ?? "?"}</td>
            <td>${r.time_stop ? new Date(r.time_stop * 1000).toLocaleTimeString() : ""}</td>
            <td>${(r.run_uids ?? []).map((/** @type {string} */ u) => html`<a href=${`#/runs/${u}`}>${u.slice(0, 8)}</a> `)}</td>
          </tr>`;
        })}</tbody>
      </table>`
      }
    </section>`;
}
