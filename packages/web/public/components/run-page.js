// @ts-check
// One run: its start/stop metadata and a table per stream (scalar columns of `internal`).
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { tiled } from "../lib/api.js";

const MAX_ROWS = 500; // shown in the page; the API serves the rest

/** @param {{uid: string}} props */
export function RunPage({ uid }) {
  const [md, setMd] = useState(/** @type {any} */ (null));
  const [streams, setStreams] = useState(/** @type {Record<string, Record<string, any[]>>} */ ({}));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  useEffect(() => {
    // Another run opened before this one's tables came: its replies must not land on the page.
    let current = true;
    setMd(null);
    setStreams({});
    setError(null);
    (async () => {
      try {
        const node = await tiled(`/metadata/${encodeURIComponent(uid)}`);
        if (!current) return;
        setMd(node.data?.attributes?.metadata ?? {});
        const children = await tiled(`/search/${encodeURIComponent(uid)}?page[limit]=100`);
        /** @type {Record<string, Record<string, any[]>>} */
        const tables = {};
        for (const child of children.data ?? []) {
          if (!current) return;
          try {
            tables[child.id] = await tiled(
              `/table/full/${encodeURIComponent(uid)}/${encodeURIComponent(child.id)}/internal?format=application/json`,
            );
          } catch {
            tables[child.id] = {};
          }
        }
        if (!current) return;
        setStreams(tables);
      } catch (e) {
        if (current) setError(/** @type {Error} */ (e).message);
      }
    })();
    return () => {
      current = false;
    };
  }, [uid]);
  const start = md?.start ?? {};
  return html`
    <section class="panel" aria-labelledby="run-h">
      <p><a href="#/runs">← all runs</a></p>
      <h2 id="run-h" data-testid="run-title">Run ${start.scan_id ?? ""} · ${start.plan_name ?? ""} <code class="muted">${uid}</code></h2>
      ${error && html`<div class="banner error" role="alert">Catalog: ${error}</div>`}
      ${
        md &&
        html`<div class="grid2">
        <div><h3>Start</h3><${KeyValues} obj=${start} /></div>
        <div><h3>Stop</h3><${KeyValues} obj=${md.stop ?? {}} /></div></div>`
      }
      ${Object.entries(streams).map(([name, cols]) => html`<${StreamTable} name=${name} cols=${cols} />`)}
    </section>`;
}

/** @param {{obj: Record<string, any>}} props */
function KeyValues({ obj }) {
  return html`<table data-testid="run-metadata"><tbody>${Object.entries(obj).map(
    ([k, v]) => html`<tr key=${k}><th>${k}</th>
    <td><code>${typeof v === "object" ? JSON.stringify(v) : String(v)}</code>
      ${k === "time" && typeof v === "number" ? html` <span class="muted">(${new Date(v * 1000).toLocaleString()})</span>` : ""}</td></tr>`,
  )}</tbody></table>`;
}

/** @param {{name: string, cols: Record<string, any[]>}} props */
function StreamTable({ name, cols }) {
  const keys = Object.keys(cols).filter((k) => !k.startsWith("ts_"));
  const n = Math.max(0, ...keys.map((k) => cols[k]?.length ?? 0));
  const fmt = (/** @type {string} */ k, /** @type {any} */ v) => {
    // Epoch seconds read better as a clock time (UTC, to the millisecond) in a table.
    if (k === "time" && typeof v === "number")
      return new Date(v * 1000).toISOString().slice(11, 23);
    return typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(6) : String(v ?? "");
  };
  return html`<h3>Stream <code>${name}</code> (${n} rows)</h3>
    <div style="overflow:auto;max-height:24rem"><table data-testid=${`stream-${name}`}>
      <thead><tr>${keys.map((k) => html`<th>${k}</th>`)}</tr></thead>
      <tbody>${Array.from({ length: Math.min(n, MAX_ROWS) }, (_, i) => html`<tr>${keys.map((k) => html`<td>${fmt(k, cols[k]?.[i])}</td>`)}</tr>`)}</tbody>
    </table></div>`;
}
