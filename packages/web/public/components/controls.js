// @ts-check
// Status summary and the control buttons, each enabled only when the status says it can work.
import { html } from "htm/preact";
import { useEffect, useRef } from "preact/hooks";

/** Which controls make sense now (exported for the tests' sake and for reading). */
export function enabledControls(/** @type {any} */ s) {
  if (!s) return {};
  const idle = s.manager_state === "idle";
  const env = Boolean(s.worker_environment_exists);
  const running = s.manager_state === "executing_queue";
  const paused = s.manager_state === "paused" || s.re_state === "paused";
  const envLocked = Boolean(s.lock?.environment);
  return {
    open: idle && !env && !envLocked,
    close: idle && env && !envLocked,
    destroy: env && !envLocked,
    start: idle && env && s.items_in_queue > 0 && !envLocked,
    stopQueue: running && !s.queue_stop_pending && !envLocked,
    cancelStop: Boolean(s.queue_stop_pending) && !envLocked,
    pause: running && s.re_state === "running" && !envLocked,
    resume: paused && !envLocked,
  };
}

/** @param {{status: any, act: (path: string, params?: object) => Promise<any>}} props */
export function Controls({ status: s, act }) {
  const on = enabledControls(s);
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  const pressed = useRef(/** @type {number | null} */ (null));
  // A pressed button usually disables itself (Open environment, Pause...), which strands the
  // keyboard focus: hand it to the nearest enabled control after it instead.
  useEffect(() => {
    const at = pressed.current;
    const active = document.activeElement;
    const lost =
      !active ||
      active === document.body ||
      (active instanceof HTMLButtonElement && active.disabled);
    if (at === null || !box.current) return;
    const buttons = [...box.current.querySelectorAll("button")];
    if (!lost) {
      // Still on the pressed button (the server has not answered yet), or moved on by the user.
      if (active !== buttons[at]) pressed.current = null;
      return;
    }
    // While every control is disabled (an environment opening), wait for the next render.
    const next = [...buttons.slice(at + 1), ...buttons.slice(0, at + 1)].find((b) => !b.disabled);
    if (next) {
      pressed.current = null;
      next.focus();
    }
  });
  const btn = (
    /** @type {string} */ label,
    /** @type {boolean|undefined} */ enabled,
    /** @type {string} */ path,
    params = {},
    cls = "",
    question = "",
  ) =>
    html`<button type="button" class=${cls} disabled=${!enabled}
      onClick=${(/** @type {MouseEvent} */ e) => {
        if (question && !confirm(question)) return;
        const all = [...(box.current?.querySelectorAll("button") ?? [])];
        pressed.current = all.indexOf(/** @type {HTMLButtonElement} */ (e.currentTarget));
        act(path, params);
      }}>${label}</button>`;
  const lock = s?.lock ?? {};
  return html`
    <section class="panel" aria-labelledby="controls-h">
      <h2 id="controls-h">Run Engine</h2>
      <p data-testid="manager-state">
        Manager <strong>${s?.manager_state ?? "?"}</strong> · RE <strong>${s?.re_state ?? "none"}</strong> ·
        environment <strong>${s?.worker_environment_exists ? "open" : "closed"}</strong>
        ${` · ${s?.items_in_queue ?? 0}`} queued · ${s?.items_in_history ?? 0} in history
        ${s?.queue_stop_pending ? html` · <span class="pill">queue stop pending</span>` : ""}
        ${s?.pause_pending ? html` · <span class="pill">pause pending</span>` : ""}
        ${
          lock.environment || lock.queue
            ? html` · <span class="pill bad" data-testid="lock">locked: ${[lock.environment && "environment", lock.queue && "queue"].filter(Boolean).join(" + ")}</span>`
            : html` · <span class="pill">unlocked</span>`
        }
      </p>
      <div class="controls" ref=${box}>
        <div class="group" role="group" aria-label="Environment">
          ${btn("Open environment", on.open, "/api/environment/open")}
          ${btn("Close environment", on.close, "/api/environment/close")}
          ${btn("Destroy", on.destroy, "/api/environment/destroy", {}, "danger", "Kill the worker environment? A running plan fails and goes back to the queue.")}
        </div>
        <div class="group" role="group" aria-label="Queue">
          ${btn("Start queue", on.start, "/api/queue/start", {}, "primary")}
          ${on.cancelStop ? btn("Cancel stop", true, "/api/queue/stop/cancel") : btn("Stop queue", on.stopQueue, "/api/queue/stop")}
        </div>
        <div class="group" role="group" aria-label="Plan">
          ${btn("Pause (deferred)", on.pause, "/api/re/pause", { option: "deferred" })}
          ${btn("Pause now", on.pause, "/api/re/pause", { option: "immediate" })}
          ${btn("Resume", on.resume, "/api/re/resume", {}, "primary")}
          ${btn("Stop", on.resume, "/api/re/stop")}
          ${btn("Abort", on.resume, "/api/re/abort", {}, "danger")}
          ${btn("Halt", on.resume, "/api/re/halt", {}, "danger")}
        </div>
      </div>
    </section>`;
}
