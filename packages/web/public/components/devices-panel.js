// @ts-check
// The environment's devices (devices/allowed) with their kinds and their latest readings as
// seen in the document stream (the queue server API has no device-read route).
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";

/** @param {{state: any, live: import("../lib/live-model.js").LiveRun}} props */
export function DevicesPanel({ state, live }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const names = Object.keys(state.devices).sort();
  const readings = (/** @type {string} */ name) =>
    Object.entries(live.latest).filter(
      ([k]) => k === name || k.startsWith(`${name}_`) || k.startsWith(`${name}.`),
    );
  const fmt = (/** @type {any} */ v) =>
    typeof v === "number"
      ? Number.isInteger(v)
        ? String(v)
        : v.toPrecision(6)
      : Array.isArray(v)
        ? `array[${v.length}]`
        : String(v);
  return html`
    <section class="panel" aria-labelledby="devices-h">
      <h2 id="devices-h">Devices (${names.length})</h2>
      <p class="muted">Readings are the latest values seen in the live document stream.</p>
      <table data-testid="devices"><thead><tr><th>Name</th><th>Class</th><th>Kind</th><th>Latest readings</th></tr></thead>
      <tbody>${names.map((n) => {
        const d = state.devices[n] ?? {};
        const kinds = [
          d.is_readable && "readable",
          d.is_movable && "movable",
          d.is_flyable && "flyable",
        ]
          .filter(Boolean)
          .join(", ");
        return html`<tr key=${n}><td><strong>${n}</strong></td><td>${d.classname ?? ""}</td><td>${kinds}</td>
          <td>${readings(n).map(([k, v]) => html`<span class="pill">${k} = ${fmt(v)}</span> `)}</td></tr>`;
      })}</tbody></table>
    </section>`;
}
