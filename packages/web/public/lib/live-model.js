// @ts-check
// Accumulates the documents of the current run into plain arrays for the live views. Mutable
// on purpose: at 1,000 events/s the views redraw once per animation frame from `version`, not
// once per event.

/** Parses a frame: JSON, with Python's NaN/Infinity tokens (outside strings) read as null. */
export function parseFrame(/** @type {string} */ text) {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(
      text.replace(/("(?:[^"\\]|\\.)*")|-?\bNaN\b|-?\bInfinity\b/g, (_m, str) => str ?? "null"),
    );
  }
}

/** True for a 2-D array of numbers (an inline image or slice), false for anything else. */
export function isImage(/** @type {any} */ v) {
  return (
    Array.isArray(v) &&
    Array.isArray(v[0]) &&
    v[0].length > 0 &&
    (typeof v[0][0] === "number" || v[0][0] === null)
  );
}

/** How many image keys the latest-image panel keeps (the most recently updated ones). */
const MAX_IMAGES = 4;

/**
 * @typedef {{key: string, rows: number[][], run: string, plan: string, seq: number}} LiveImage
 */

export class LiveRun {
  /** @type {any} the start document of the run being plotted */ start = null;
  /** @type {any} */ stop = null;
  /** Bumped on every change; views redraw when it moved. */
  version = 0;
  /** @type {string | null} */ primaryDescriptor = null;
  /** @type {Record<string, any>} */ dataKeys = {};
  /** x axis: the first motor of the plan's dimensions, or "time" */
  xKey = "time";
  /** @type {string[]} hinted detector fields */
  yKeys = [];
  /** @type {number[]} */ x = [];
  /** @type {Record<string, (number|null)[]>} */ y = {};
  events = 0;
  /** @type {{shape: number[], extents: number[][], motors: string[], values: Float64Array} | null} */
  grid = null;
  /**
   * The latest 2-D array of each image key, from ANY run on the stream (the plotted run's
   * detector images, a reconstruction's slices...), in the order the keys first appeared.
   * @type {LiveImage[]}
   */
  images = [];
  /** @type {Record<string, any>} latest reading of every key (for the devices panel) */
  latest = {};
  /** @type {string | null} */ warning = null;
  /** @type {Map<string, any>} descriptor uid -> the start document of its run */
  #runOf = new Map();
  /** @type {Set<string>} uids of runs started and not yet stopped */
  #open = new Set();
  #imageSeq = 0;

  /** The most recently updated image (of any run), or null. */
  get image() {
    return this.images.reduce(
      (/** @type {LiveImage | null} */ a, b) => (a && a.seq > b.seq ? a : b),
      null,
    );
  }

  /** Forgets which runs are open (after a gap in the stream their stops may be lost). */
  resetOpenRuns() {
    this.#open.clear();
    this.version++;
  }

  /** Feeds one document. */
  push(/** @type {string} */ name, /** @type {any} */ doc) {
    if (name === "start") this.#onStart(doc);
    else if (name === "descriptor") this.#onDescriptor(doc);
    else if (name === "event") this.#onEvent(doc.descriptor, doc.data, doc.time);
    else if (name === "event_page") {
      const keys = Object.keys(doc.data ?? {});
      for (let i = 0; i < (doc.time?.length ?? 0); i++) {
        /** @type {Record<string, any>} */
        const data = {};
        for (const k of keys) data[k] = doc.data[k][i];
        this.#onEvent(doc.descriptor, data, doc.time[i]);
      }
    } else if (name === "stop") {
      this.#open.delete(doc.run_start);
      for (const [uid, start] of this.#runOf)
        if (start.uid === doc.run_start) this.#runOf.delete(uid);
      if (doc.run_start === this.start?.uid) this.stop = doc;
    }
    this.version++;
  }

  #onStart(/** @type {any} */ doc) {
    // A run that starts while the plotted one is still open (a reconstruction or analysis
    // publishing a derived run alongside), or that names the plotted run as its parent, does
    // not take the plot over; its images still show.
    const plottedOpen = this.start && this.#open.has(this.start.uid);
    const derived = this.start && doc.parent_uid === this.start.uid;
    this.#open.add(doc.uid);
    this.#runOf.set(doc.uid, doc);
    if (plottedOpen || derived) return;
    // Images of runs that are over are stale now; those of runs still going stay.
    this.images = this.images.filter((im) => this.#open.has(im.run));
    Object.assign(this, {
      start: doc,
      stop: null,
      primaryDescriptor: null,
      dataKeys: {},
      x: [],
      y: {},
      events: 0,
      grid: null,
      warning: null,
      yKeys: [],
    });
    const dims = doc.hints?.dimensions;
    const first = Array.isArray(dims) && dims[0] ? dims[0][0] : null;
    this.xKey = Array.isArray(first) && typeof first[0] === "string" ? first[0] : "time";
    // Several dimensions (a grid): a line against one motor zigzags; use the point number.
    if (Array.isArray(dims) && dims.length > 1) this.xKey = "seq_num";
    const motors = Array.isArray(doc.motors) ? doc.motors : [];
    if (
      Array.isArray(doc.shape) &&
      doc.shape.length === 2 &&
      Array.isArray(doc.extents) &&
      motors.length >= 2
    ) {
      this.grid = {
        shape: doc.shape,
        extents: doc.extents,
        motors: motors.slice(0, 2),
        values: new Float64Array(doc.shape[0] * doc.shape[1]).fill(Number.NaN),
      };
    }
  }

  #onDescriptor(/** @type {any} */ doc) {
    const start = this.#runOf.get(doc.run_start);
    if (start) this.#runOf.set(doc.uid, start);
    if (doc.run_start !== this.start?.uid) return;
    Object.assign(this.dataKeys, doc.data_keys ?? {});
    if ((doc.name ?? "primary") !== "primary" || this.primaryDescriptor) return;
    this.primaryDescriptor = doc.uid;
    /** @type {string[]} */
    const ys = [];
    for (const hint of Object.values(doc.hints ?? {})) {
      for (const f of /** @type {any} */ (hint).fields ?? []) {
        const shape = doc.data_keys?.[f]?.shape ?? [];
        if (f !== this.xKey && shape.length === 0) ys.push(f);
      }
    }
    if (ys.length === 0) {
      // No hints: plot every scalar number that is not the x axis.
      for (const [k, v] of Object.entries(doc.data_keys ?? {}))
        if (k !== this.xKey && v.dtype === "number" && (v.shape ?? []).length === 0) ys.push(k);
    }
    this.yKeys = ys;
    for (const k of ys) this.y[k] = [];
  }

  #onEvent(
    /** @type {string} */ descriptor,
    /** @type {Record<string, any>} */ data,
    /** @type {number} */ time,
  ) {
    Object.assign(this.latest, data);
    for (const [k, v] of Object.entries(data)) if (isImage(v)) this.#onImage(descriptor, k, v);
    if (descriptor !== this.primaryDescriptor) return;
    this.events++;
    const xv =
      this.xKey === "time" ? time : this.xKey === "seq_num" ? this.events : data[this.xKey];
    this.x.push(typeof xv === "number" ? xv : this.events);
    for (const k of this.yKeys) this.y[k]?.push(typeof data[k] === "number" ? data[k] : null);
    const g = this.grid;
    const z = this.yKeys[0] !== undefined ? data[this.yKeys[0]] : undefined;
    if (g && typeof z === "number") {
      const idx = g.motors.map((m, axis) => {
        const [lo, hi] = g.extents[axis] ?? [0, 1];
        const n = g.shape[axis] ?? 1;
        const v = data[m];
        return n > 1 && hi !== lo && typeof v === "number"
          ? Math.round(((v - lo) / (hi - lo)) * (n - 1))
          : 0;
      });
      const [r = 0, c = 0] = idx;
      if (r >= 0 && r < g.shape[0] && c >= 0 && c < g.shape[1]) g.values[r * g.shape[1] + c] = z;
    }
  }

  #onImage(
    /** @type {string} */ descriptor,
    /** @type {string} */ key,
    /** @type {number[][]} */ rows,
  ) {
    const start = this.#runOf.get(descriptor);
    /** @type {LiveImage} */
    const image = {
      key,
      rows,
      run: start?.uid ?? "",
      plan: start?.plan_name ?? "",
      seq: ++this.#imageSeq,
    };
    // In place, so the panels keep their order while two keys (images, slices) alternate.
    const at = this.images.findIndex((im) => im.key === key);
    if (at >= 0) this.images[at] = image;
    else {
      this.images.push(image);
      if (this.images.length > MAX_IMAGES) {
        const oldest = this.images.reduce((a, b) => (b.seq < a.seq ? b : a));
        this.images = this.images.filter((im) => im !== oldest);
      }
    }
  }

  /** Planned number of events, when the plan said. */
  get expected() {
    const n = this.start?.num_points;
    return typeof n === "number" ? n : null;
  }
}
