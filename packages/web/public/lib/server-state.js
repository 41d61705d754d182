// @ts-check
// Polls /api/status and re-reads the queue, history, plans and devices only when their UIDs
// change (the pattern of bluesky-widgets). Backs off while the server is unreachable and
// recovers on its own when it returns. Console text: one GET, then the console WebSocket.
import { ApiError, config, qs, wsUrl } from "./api.js";
import { reconnectingSocket } from "./reconnecting-socket.js";

/**
 * @typedef {{
 *   connected: boolean, error: string | null, needsKey: boolean, status: any, queue: any[], runningItem: any,
 *   history: any[], plans: Record<string, any>, devices: Record<string, any>, console: string,
 *   agents: any[], lastUpdate: number
 * }} ServerState
 */

const MAX_CONSOLE = 200_000; // characters kept in the page

export class ServerStateStore {
  /** @type {ServerState} */
  state = {
    connected: false,
    error: null,
    needsKey: false,
    status: null,
    queue: [],
    runningItem: {},
    history: [],
    plans: {},
    devices: {},
    console: "",
    agents: [],
    lastUpdate: 0,
  };
  /** @type {Set<(s: ServerState) => void>} */
  #listeners = new Set();
  /** @type {Record<string, string | null>} */
  #uids = {};
  #delay = config.pollMs || 500;
  #stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;
  /** @type {{close: () => void} | null} */
  #console = null;
  #consoleLive = false;
  /** @type {{msg: string, uid?: string}[] | null} */
  #consoleHeld = null;
  /** @type {Set<string | undefined> | null} the uids of the console text last read */
  #consoleLoaded = null;
  /** @type {string | null} */
  #consoleUid = null;
  #polls = 0;
  #polling = false;
  /** A refresh was asked for while a poll was under way. */
  #again = false;

  start() {
    this.#poll();
    this.#console = reconnectingSocket(() => wsUrl(`${config.queueApi}/api/console_output/ws`), {
      onMessage: (data) => {
        try {
          const { msg, uid } = JSON.parse(data);
          if (typeof msg !== "string") return;
          if (this.#consoleHeld) this.#consoleHeld.push({ msg, uid });
          else if (!this.#wasLoaded(uid)) {
            // Frames come in order: once one is new, so are all the next.
            this.#consoleLoaded = null;
            this.#appendConsole(msg);
          }
        } catch {
          /* a malformed frame is not worth breaking the console for */
        }
      },
      onState: (up) => {
        this.#consoleLive = up;
        if (up) this.#loadConsole();
      },
    });
  }

  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#console?.close();
  }

  /** @param {(s: ServerState) => void} fn */
  subscribe(fn) {
    this.#listeners.add(fn);
    fn(this.state);
    return () => this.#listeners.delete(fn);
  }

  /** Re-read everything now (after an action), without waiting for the next poll. */
  refresh() {
    // One poll at a time: an older one answering last would show the queue as it was.
    if (this.#polling) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#poll();
  }

  /** @param {Partial<ServerState>} patch */
  #set(patch) {
    this.state = { ...this.state, ...patch };
    for (const fn of this.#listeners) fn(this.state);
  }

  /**
   * Reads the whole console text. The socket's frames may or may not be in it, whether they
   * came during the request (held meanwhile) or come after: their uids tell.
   */
  async #loadConsole() {
    /** @type {{msg: string, uid?: string}[]} */
    const held = [];
    this.#consoleHeld = held;
    try {
      const reply = await qs("GET", "/api/console_output_update?last_msg_uid=ALL");
      if (this.#consoleHeld !== held) return; // a newer load took over
      /** @type {{msg: string, uid?: string}[]} */
      const loaded = reply.console_output_msgs ?? [];
      this.#consoleLoaded = new Set(loaded.map((m) => m.uid));
      const later = held.filter((m) => !this.#wasLoaded(m.uid));
      const text = [...loaded, ...later].map((m) => m.msg).join("");
      this.#set({ console: text.slice(-MAX_CONSOLE) });
    } catch {
      // The status poll reports connection problems; what the socket sent is kept.
      if (this.#consoleHeld === held) for (const m of held) this.#appendConsole(m.msg);
    } finally {
      if (this.#consoleHeld === held) this.#consoleHeld = null;
    }
  }

  /** True for a socket frame the console text last read already holds. */
  #wasLoaded(/** @type {string | undefined} */ uid) {
    return uid !== undefined && Boolean(this.#consoleLoaded?.has(uid));
  }

  async #pollConsole() {
    try {
      const { console_output_uid: uid } = await qs("GET", "/api/console_output/uid");
      if (uid !== this.#consoleUid) {
        this.#consoleUid = uid;
        await this.#loadConsole();
      }
    } catch {
      /* a console problem is not a lost connection; the status poll says when it is */
    }
  }

  /** The registered agents; none from a server without the agent routes. */
  async #loadAgents() {
    try {
      return (await qs("GET", "/api/agent/list")).agents ?? [];
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  }

  /** @param {string} msg */
  #appendConsole(msg) {
    const text = (this.state.console + msg).slice(-MAX_CONSOLE);
    this.#set({ console: text });
  }

  /** True when `key` of the status differs from what was last loaded. */
  #changed(/** @type {any} */ status, /** @type {string} */ key) {
    return status[key] !== this.#uids[key] || status[key] === undefined;
  }

  async #poll() {
    if (this.#stopped) return;
    this.#polling = true;
    try {
      const status = await qs("GET", "/api/status");
      /** @type {Partial<ServerState>} */
      const patch = {
        status,
        connected: true,
        error: null,
        needsKey: false,
        lastUpdate: Date.now(),
      };
      // The running item is part of queue_get, and it changes with running_item_uid.
      const queueKey = `${status.plan_queue_uid}/${status.running_item_uid}`;
      if (queueKey !== this.#uids["queue"]) {
        const q = await qs("GET", "/api/queue/get");
        patch.queue = q.items ?? [];
        patch.runningItem = q.running_item ?? {};
        this.#uids["queue"] = queueKey;
      }
      if (this.#changed(status, "plan_history_uid")) {
        const h = await qs("GET", "/api/history/get");
        patch.history = h.items ?? [];
        this.#uids["plan_history_uid"] = status.plan_history_uid;
      }
      // Agents' counters move with the queue and history; registrations are rare (every 10th).
      if (patch.queue || patch.history || this.#polls++ % 10 === 0) {
        patch.agents = await this.#loadAgents();
      }
      if (this.#changed(status, "plans_allowed_uid")) {
        const p = await qs("GET", "/api/plans/allowed");
        patch.plans = p.plans_allowed ?? {};
        this.#uids["plans_allowed_uid"] = status.plans_allowed_uid;
      }
      if (this.#changed(status, "devices_allowed_uid")) {
        const d = await qs("GET", "/api/devices/allowed");
        patch.devices = d.devices_allowed ?? {};
        this.#uids["devices_allowed_uid"] = status.devices_allowed_uid;
      }
      this.#set(patch);
      this.#delay = config.pollMs || 500;
      // Without the console WebSocket (e.g. refused under API-key auth), poll its uid instead.
      if (!this.#consoleLive) await this.#pollConsole();
    } catch (error) {
      // Forget the UIDs: the server may have restarted with other data.
      this.#uids = {};
      // 401: the server wants an API key this browser does not have (or a wrong one).
      const needsKey = error instanceof ApiError && error.status === 401;
      this.#set({ connected: false, error: /** @type {Error} */ (error).message, needsKey });
      this.#delay = Math.min(this.#delay * 2, 8000);
    }
    this.#polling = false;
    const delay = this.#again ? 0 : this.#delay;
    this.#again = false;
    if (!this.#stopped) this.#timer = setTimeout(() => this.#poll(), delay);
  }
}
