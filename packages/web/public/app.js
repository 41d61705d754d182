// @ts-check
// The application shell: tabs (hash routes), connection and error banners, and the shared
// stores (server state by polling, live documents by WebSocket) handed to the screens.
import { html } from "htm/preact";
import { render } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiKeyForm } from "./components/api-key-form.js";
import { DevicesPanel } from "./components/devices-panel.js";
import { LiveView } from "./components/live-view.js";
import { QueueScreen } from "./components/queue-screen.js";
import { RunPage } from "./components/run-page.js";
import { RunsSearch } from "./components/runs-search.js";
import { config, qsAction } from "./lib/api.js";
import { openDocumentStream } from "./lib/doc-stream.js";
import { LiveRun } from "./lib/live-model.js";
import { ServerStateStore } from "./lib/server-state.js";

const TABS = [
  ["queue", "Queue"],
  ["live", "Live data"],
  ["runs", "Runs"],
  ["devices", "Devices"],
];

function useHashRoute() {
  const read = () => location.hash.replace(/^#\/?/, "") || "queue";
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

function App() {
  const store = useMemo(() => new ServerStateStore(), []);
  const live = useMemo(() => new LiveRun(), []);
  const [state, setState] = useState(store.state);
  const [docsState, setDocsState] = useState({
    connected: false,
    gap: /** @type {string|undefined} */ (undefined),
  });
  const [actionError, setActionError] = useState(/** @type {string | null} */ (null));
  const pending = useRef(/** @type {Set<string>} */ (new Set())).current;
  const route = useHashRoute();

  useEffect(() => {
    const off = store.subscribe(setState);
    store.start();
    const docs = openDocumentStream(
      (name, doc) => {
        live.push(name, doc);
        // The lost documents' warning holds until a new run starts in full.
        if (name === "start") setDocsState((old) => (old.gap ? { ...old, gap: undefined } : old));
      },
      (s) => {
        // After a gap, stops may be lost: let the next run take the plot over.
        if (s.gap) live.resetOpenRuns();
        setDocsState((old) => ({ ...old, ...s }));
      },
    );
    return () => {
      off();
      store.stop();
      docs.close();
    };
  }, []);

  /**
   * Runs a POST action; a refusal from the server is shown in the banner. The same action is
   * not sent again while it is under way (a double click would see the second one refused).
   */
  const act = async (/** @type {string} */ path, /** @type {object} */ params = {}) => {
    const key = `${path} ${JSON.stringify(params)}`;
    if (pending.has(key)) return null;
    pending.add(key);
    try {
      const reply = await qsAction(path, params);
      setActionError(null);
      return reply;
    } catch (error) {
      setActionError(`${path.replace("/api/", "")}: ${/** @type {Error} */ (error).message}`);
      return null;
    } finally {
      pending.delete(key);
      store.refresh();
    }
  };

  const [tab, ...rest] = route.split("/");
  const ctx = { state, act, live, refresh: () => store.refresh() };
  let screen;
  if (tab === "live") screen = html`<${LiveView} live=${live} state=${state} docs=${docsState} />`;
  else if (tab === "runs" && rest[0])
    screen = html`<${RunPage} uid=${decodeURIComponent(rest[0])} />`;
  else if (tab === "runs") screen = html`<${RunsSearch} />`;
  else if (tab === "devices") screen = html`<${DevicesPanel} state=${state} live=${live} />`;
  else screen = html`<${QueueScreen} ...${ctx} />`;

  return html`
    <header>
      <h1>${config.title}</h1>
      <nav aria-label="Screens">
        ${TABS.map(
          ([
            id,
            label,
          ]) => html`<button type="button" aria-current=${tab === id ? "page" : undefined}
            onClick=${() => {
              location.hash = `#/${id}`;
            }}>${label}</button>`,
        )}
      </nav>
      <span class="pill ${state.connected ? "ok" : "bad"}" role="status" data-testid="connection">
        ${state.connected ? "connected" : "disconnected"}</span>
    </header>
    <main>
      ${state.needsKey && html`<${ApiKeyForm} error=${state.error} />`}
      ${
        !state.connected &&
        !state.needsKey &&
        state.error &&
        html`<div class="banner error" role="alert" data-testid="connection-error">
        Lost connection to the queue server: ${state.error}. Retrying…</div>`
      }
      ${
        actionError &&
        html`<div class="banner error" role="alert" data-testid="action-error">
        ${actionError} <button type="button" onClick=${() => setActionError(null)}>Dismiss</button></div>`
      }
      ${screen}
    </main>`;
}

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(html`<${App} />`, root);
}
