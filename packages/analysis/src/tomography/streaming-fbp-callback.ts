import {
  type ComposeDescriptorBundle,
  type ComposeRunBundle,
  composeRun,
  type DataKey,
  type DocumentCallback,
  DocumentRouter,
  type Event,
  type EventDescriptor,
  type ExitStatus,
  type RunStart,
  type RunStop,
} from "@cerulean/event-model";
import { AnalysisInputError } from "../errors.ts";
import type { RampFilter } from "./ramp-filter.ts";
import { StreamingFbp } from "./streaming-fbp.ts";

/** Options of a StreamingFbpCallback. */
export interface StreamingFbpCallbackOptions {
  /** Receives the derived run's documents, `(name, doc)`. */
  publish: DocumentCallback;
  /** Data key of the projections in the watched run (default "tomo_det"). */
  detectorKey?: string;
  /** Data key of the rotation angle, degrees (default "rot"). */
  angleKey?: string;
  /** The stream carrying the projections (default "primary": a baseline reading is no projection). */
  stream?: string;
  /** Detector row whose slice the derived events carry (default the middle one). */
  sliceIndex?: number;
  /** Publish an event every `every` projections, and at the end (default 1). */
  every?: number;
  filter?: RampFilter;
  center?: number;
  /** More metadata for the derived start document. */
  metadata?: Record<string, unknown>;
}

/** What the derived run is built from, once the watched run has described its projections. */
interface Derived {
  parent: RunStart;
  fbp: StreamingFbp;
  sliceIndex: number;
  run: ComposeRunBundle;
  stream: ComposeDescriptorBundle;
  /** Projections not yet reflected in a published event. */
  pending: number;
  lastTime: number;
  closed: boolean;
}

/**
 * Watches a run whose "primary" events carry a projection (`tomo_det`, rows × pixels) and the
 * rotation angle (`rot`, degrees), reconstructs it with a StreamingFbp as events arrive, and
 * publishes a derived run: start (`plan_name: "streaming_fbp"`, `parent_uid`,
 * `reconstruction: {...}`), a "primary" descriptor with `slice` (width × width), `projections`
 * and `angle`, an event every `every` projections with the current slice, and a stop mirroring
 * the parent's exit_status (or "fail" if the next run starts first). One watched run at a time.
 * @example
 * const fbp = new StreamingFbpCallback({ publish: (name, doc) => bus.publish(name, doc) });
 * RE.subscribe(fbp.callback);
 */
export class StreamingFbpCallback extends DocumentRouter {
  readonly detectorKey: string;
  readonly angleKey: string;
  readonly stream: string;
  readonly every: number;
  readonly #options: StreamingFbpCallbackOptions;
  #parent: RunStart | undefined;
  #descriptors = new Set<string>();
  #derived: Derived | undefined;

  constructor(options: StreamingFbpCallbackOptions) {
    super();
    if (typeof options.publish !== "function") {
      throw new AnalysisInputError("StreamingFbpCallback: publish must be a (name, doc) function");
    }
    const every = options.every ?? 1;
    if (!Number.isInteger(every) || every < 1) {
      throw new AnalysisInputError(`StreamingFbpCallback: every ${every} is not an integer >= 1`);
    }
    this.#options = options;
    this.detectorKey = options.detectorKey ?? "tomo_det";
    this.angleKey = options.angleKey ?? "rot";
    this.stream = options.stream ?? "primary";
    this.every = every;
  }

  /** The reconstruction of the current (or last) watched run, once it described projections. */
  get reconstruction(): StreamingFbp | undefined {
    return this.#derived?.fbp;
  }

  /** The derived run's start document, once published. */
  get derivedStart(): RunStart | undefined {
    return this.#derived?.run.startDoc;
  }

  /** The slice the derived events carry, as it stands now (rows of numbers). */
  currentSlice(): number[][] | undefined {
    const derived = this.#derived;
    return derived?.fbp.sliceRows(derived.sliceIndex);
  }

  override start(doc: RunStart): void {
    const previous = this.#derived;
    // A derived run always closes, even when its parent never sent a stop.
    if (previous && !previous.closed) {
      this.#close(previous, "fail", `parent run ${previous.parent.uid} ended without a stop`);
    }
    this.#parent = doc;
    this.#descriptors.clear();
    this.#derived = undefined;
  }

  override descriptor(doc: EventDescriptor): void {
    const parent = this.#parent;
    if (!parent || doc.run_start !== parent.uid || doc.name !== this.stream) return;
    const image = doc.data_keys[this.detectorKey];
    if (!image || !doc.data_keys[this.angleKey]) return;
    this.#descriptors.add(doc.uid);
    if (!this.#derived) this.#derived = this.#open(parent, image);
  }

  override event(doc: Event): void {
    const derived = this.#derived;
    if (!derived || derived.closed || !this.#descriptors.has(doc.descriptor)) return;
    const angle = doc.data[this.angleKey];
    const image = doc.data[this.detectorKey];
    if (typeof angle !== "number" || !Array.isArray(image)) {
      throw new AnalysisInputError(
        `StreamingFbpCallback: event ${doc.seq_num} of run ${derived.parent.uid} has ${this.angleKey}=${JSON.stringify(angle)} and a ${typeof image} ${this.detectorKey}; expected a number and an inline 2-D array`,
      );
    }
    derived.fbp.addProjection(angle, image as number[][]);
    derived.pending++;
    derived.lastTime = doc.time;
    if (derived.pending >= this.every) this.#publishSlice(derived);
  }

  override stop(doc: RunStop): void {
    const derived = this.#derived;
    if (!derived || derived.closed || doc.run_start !== derived.parent.uid) return;
    this.#close(derived, doc.exit_status, doc.reason ?? "");
    this.#parent = undefined;
    this.#descriptors.clear();
  }

  #close(derived: Derived, exitStatus: ExitStatus, reason: string): void {
    derived.closed = true;
    if (derived.pending > 0) this.#publishSlice(derived);
    this.#options.publish("stop", derived.run.composeStop({ exit_status: exitStatus, reason }));
  }

  #open(parent: RunStart, image: DataKey): Derived {
    const shape = image.shape;
    const [rows, width] = shape ?? [];
    if (image.external || shape?.length !== 2 || !isCount(rows) || !isCount(width)) {
      throw new AnalysisInputError(
        `StreamingFbpCallback: data key "${this.detectorKey}" of run ${parent.uid} has shape ${JSON.stringify(shape)}${image.external ? ` and external "${image.external}"` : ""}; expected an inline [rows, pixels] array`,
      );
    }
    const { filter, center, sliceIndex = Math.floor(rows / 2) } = this.#options;
    if (!Number.isInteger(sliceIndex) || sliceIndex < 0 || sliceIndex >= rows) {
      throw new AnalysisInputError(
        `StreamingFbpCallback: sliceIndex ${sliceIndex} is not a row of "${this.detectorKey}" (0..${rows - 1})`,
      );
    }
    const fbp = new StreamingFbp({
      width,
      slices: rows,
      ...(filter ? { filter } : {}),
      ...(center === undefined ? {} : { center }),
    });
    const run = composeRun({
      metadata: {
        ...this.#options.metadata,
        plan_name: "streaming_fbp",
        parent_uid: parent.uid,
        ...(parent.scan_id === undefined ? {} : { parent_scan_id: parent.scan_id }),
        reconstruction: {
          method: "filtered back-projection, parallel beam",
          filter: fbp.filter,
          detector: this.detectorKey,
          angle: this.angleKey,
          width,
          slices: rows,
          slice_index: sliceIndex,
          center: fbp.center,
          every: this.every,
        },
      },
    });
    const source = `streaming_fbp://${this.detectorKey}`;
    const stream = run.composeDescriptor({
      name: "primary",
      data_keys: {
        slice: { dtype: "array", dtype_numpy: "<f8", shape: [width, width], source },
        projections: { dtype: "integer", dtype_numpy: "<i8", shape: [], source },
        angle: { dtype: "number", dtype_numpy: "<f8", shape: [], source, units: "deg" },
      },
      object_keys: { streaming_fbp: ["slice", "projections", "angle"] },
      hints: { streaming_fbp: { fields: ["slice"] } },
    });
    this.#options.publish("start", run.startDoc);
    this.#options.publish("descriptor", stream.descriptorDoc);
    return {
      parent,
      fbp,
      sliceIndex,
      run,
      stream,
      pending: 0,
      lastTime: parent.time,
      closed: false,
    };
  }

  #publishSlice(derived: Derived): void {
    const t = derived.lastTime;
    const event = derived.stream.composeEvent({
      data: {
        slice: derived.fbp.sliceRows(derived.sliceIndex),
        projections: derived.fbp.projections,
        angle: derived.fbp.lastAngle ?? Number.NaN,
      },
      timestamps: { slice: t, projections: t, angle: t },
    });
    derived.pending = 0;
    this.#options.publish("event", event);
  }
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n > 0;
}
