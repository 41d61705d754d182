// @ts-check
// Search the catalog (broker's Tiled API): text, plan, time range and any metadata key=value;
// a table of results, newest first, each linking to its run page.
import { html } from "htm/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { tiled } from "../lib/api.js";

const PAGE = 50;

/** Builds the Tiled query string from the form (exported for reading; pure). */
export function searchQuery(/** @type {Record<string, string>} */ f, offset = 0) {
  const p = new URLSearchParams({
    "page[offset]": String(offset),
    "page[limit]": String(PAGE),
    sort: "-",
  });
  const json = (/** @type {string} */ v) => {
    try {
      return JSON.stringify(JSON.parse(v));
    } catch {
      return JSON.stringify(v);
    }
  };
  if (f["text"]) p.append("filter[fulltext][condition][text]", f["text"]);
  if (f["plan"]) {
    p.append("filter[eq][condition][key]", "start.plan_name");
    p.append("filter[eq][condition][value]", JSON.stringify(f["plan"]));
  }
  for (const [field, op] of /** @type {const} */ ([
    ["since", "ge"],
    ["until", "le"],
  ])) {
    const t = f[field] ? Date.parse(f[field]) / 1000 : Number.NaN;
    if (Number.isFinite(t)) {
      p.append("filter[comparison][condition][operator]", op);
      p.append("filter[comparison][condition][key]", "start.time");
      p.append("filter[comparison][condition][value]", String(t));
    }
  }
  if (f["key"] && f["value"]) {
    const key = f["key"].includes(".") ? f["key"] : `start.${f["key"]}`;
    // A second eq filter (after the plan's) stacks: Tiled ANDs repeated filters by position.
    p.append("filter[eq][condition][key]", key);
    p.append("filter[eq][condition][value]", json(f["value"]));
  }
  return `/search/?${p}`;
}

export function RunsSearch() {
  const [form, setForm] = useState(
    /** @type {Record<string, string>} */ ({
      text: "",
      plan: "",
      since: "",
      until: "",
      key: "",
      value: "",
    }),
  );
  const [result, setResult] = useState(
    /** @type {{rows: any[], count: number, offset: number, query: Record<string, string>} | null} */ (
      null
    ),
  );
  const [error, setError] = useState(/** @type {string | null} */ (null));
  // Only the latest search may answer: an older, slower one would show another query's runs.
  const latest = useRef(0);
  /** Paging goes through the query that was searched, not the form as edited since. */
  const search = async (query = form, offset = 0) => {
    const id = ++latest.current;
    try {
      const reply = await tiled(searchQuery(query, offset));
      if (id !== latest.current) return;
      setResult({ rows: reply.data ?? [], count: reply.meta?.count ?? 0, offset, query });
      setError(null);
    } catch (e) {
      if (id === latest.current) setError(/** @type {Error} */ (e).message);
    }
  };
  useEffect(() => {
    search();
  }, []);
  const input = (/** @type {string} */ name, /** @type {string} */ label, type = "text") => html`
    <div class="field"><label for=${`runs-${name}`}>${label}</label>
      <input id=${`runs-${name}`} type=${type} value=${form[name]} onInput=${(/** @type {any} */ e) => setForm({ ...form, [name]: e.currentTarget.value })} /></div>`;
  return html`
    <section class="panel" aria-labelledby="runs-h">
      <h2 id="runs-h">Runs</h2>
      <form class="controls" style="align-items:end" onSubmit=${(/** @type {Event} */ e) => {
        e.preventDefault();
        search();
      }} data-testid="runs-form">
        ${input("text", "Text")} ${input("plan", "Plan name")} ${input("since", "From", "datetime-local")}
        ${input("until", "To", "datetime-local")} ${input("key", "Metadata key")} ${input("value", "equals")}
        <button type="submit" class="primary">Search</button>
      </form>
      ${error && html`<div class="banner error" role="alert">Catalog: ${error}</div>`}
      ${
        result &&
        html`<p class="muted controls">${result.count} run${result.count === 1 ? "" : "s"}
          ${
            result.count > PAGE &&
            html`(${result.offset + 1}–${Math.min(result.count, result.offset + PAGE)})
            <button type="button" disabled=${result.offset === 0} onClick=${() => search(result.query, Math.max(0, result.offset - PAGE))}>Newer</button>
            <button type="button" disabled=${result.offset + PAGE >= result.count} onClick=${() => search(result.query, result.offset + PAGE)}>Older</button>`
          }</p>
        <table data-testid="runs-table"><thead><tr><th>Scan</th><th>Plan</th><th>Started</th><th>Exit status</th><th>Events</th><th>uid</th></tr></thead>
        <tbody>${result.rows.map((r) => {
          const md = r.attributes?.metadata ?? {};
          const start = md.start ?? {};
          const stop = md.stop ?? {};
          return html`<tr key=${r.id}>
            <td>${start.scan_id ?? ""}</td><td>${start.plan_name ?? ""}</td>
            <td>${start.time ? new Date(start.time * 1000).toLocaleString() : ""}</td>
            <td class=${`status-${stop.exit_status}`}>${stop.exit_status ?? "running"}</td>
            <td>${Object.values(stop.num_events ?? {}).reduce((/** @type {number} */ a, /** @type {any} */ b) => a + Number(b), 0)}</td>
            <td><a href=${`#/runs/${r.id}`}><code>${String(r.id).slice(0, 8)}</code></a></td></tr>`;
        })}</tbody></table>`
      }
    </section>`;
}
