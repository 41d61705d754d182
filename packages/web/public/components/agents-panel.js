// @ts-check
// The agents registered with the queue server: their limits (plans, motor ranges, runs, time),
// whether their items need approval, and how much of their budget they have used.
import { html } from "htm/preact";

const fmtRange = (/** @type {any} */ r) => (Array.isArray(r) ? `[${r[0]}, ${r[1]}]` : "");

/** @param {{agents: any[]}} props */
export function AgentsPanel({ agents }) {
  if (!agents.length) return null;
  return html`
    <section class="panel" aria-labelledby="agents-h">
      <h2 id="agents-h">Agents (${agents.length})</h2>
      <table data-testid="agents">
        <thead><tr><th>Agent</th><th>Approval</th><th>Plans</th><th>Motors</th><th>Runs</th><th>Time (s)</th></tr></thead>
        <tbody>${agents.map((a) => {
          const l = a.limits ?? {};
          const motors = l.motors ? Object.entries(l.motors) : null;
          return html`<tr key=${a.name}>
            <td><strong>${a.name}</strong></td>
            <td>${a.require_approval ? "required" : "not required"}</td>
            <td>${Array.isArray(l.plans) ? l.plans.join(", ") : html`<span class="muted">any</span>`}</td>
            <td>${
              motors
                ? motors.length
                  ? motors.map(([m, r]) => html`<span class="pill">${m} ${fmtRange(r)}</span> `)
                  : html`<span class="muted">none</span>`
                : html`<span class="muted">any</span>`
            }</td>
            <td>${a.runs_done ?? 0}${l.max_runs !== undefined ? ` / ${l.max_runs}` : ""}</td>
            <td>${Number(a.time_used ?? 0).toFixed(1)}${l.max_total_time !== undefined ? ` / ${l.max_total_time}` : ""}</td>
          </tr>`;
        })}</tbody>
      </table>
    </section>`;
}
