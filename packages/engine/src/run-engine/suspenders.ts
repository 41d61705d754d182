// Suspenders: a condition on a signal suspends the running plan, which resumes (after replaying
// from its last checkpoint) once the condition has cleared for `sleep` seconds.
import type { Readings, Subscribable } from "@cerulean/devices/protocols";
import { PlanArgumentError } from "../errors.ts";
import type { PlanFactory, PlanLike } from "../plan.ts";
import { type Deferred, deferred } from "./deferred.ts";
import type { EngineState } from "./state-machine.ts";

/** What a suspender needs from the RunEngine. */
export interface SuspenderHost {
  readonly state: EngineState;
  requestSuspend(release: Promise<unknown>, options: SuspendOptions): void;
}

/** How a suspension proceeds: plans around the wait, and the text saying why. */
export interface SuspendOptions {
  prePlan?: PlanLike | PlanFactory | undefined;
  postPlan?: PlanLike | PlanFactory | undefined;
  justification?: string | undefined;
}

/** Options every suspender takes (Bluesky's keyword names). */
export interface SuspenderOptions {
  /** Seconds the condition must stay cleared before the plan resumes (default 0). */
  sleep?: number;
  /** Runs just before waiting (e.g. close a shutter); a plan or a function making one. */
  pre_plan?: PlanLike | PlanFactory;
  /** Runs just before resuming (e.g. open the shutter again). */
  post_plan?: PlanLike | PlanFactory;
  /** Added to the justification text. */
  tripped_message?: string;
}

/** The value a suspender watches: the reading named like the signal, else the only one. */
function watchedValue(signal: Subscribable, readings: Readings): unknown {
  const own = readings[signal.name];
  if (own !== undefined) return own.value;
  for (const key in readings) return readings[key]?.value;
  return undefined;
}

/** The common machinery; subclasses say when to suspend and when to resume. */
export abstract class SuspenderBase {
  #host: SuspenderHost | undefined;
  #unsubscribe: (() => void) | undefined;
  #tripped = false;
  #release: Deferred<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastValue: unknown;

  constructor(
    readonly signal: Subscribable,
    readonly options: SuspenderOptions = {},
  ) {
    const sleep = options.sleep ?? 0;
    if (!(sleep >= 0))
      throw new PlanArgumentError(`suspender sleep must be >= 0 seconds; got ${sleep}`);
  }

  /** True while the condition holds (or has not cleared for long enough). */
  get tripped(): boolean {
    return this.#tripped || this.#release !== undefined;
  }

  /** Starts watching the signal (the RunEngine calls this from installSuspender). */
  install(host: SuspenderHost): void {
    this.remove();
    this.#host = host;
    this.#unsubscribe = this.signal.subscribe((readings) =>
      this.#onValue(watchedValue(this.signal, readings)),
    );
  }

  /** Stops watching; a suspension waiting on this suspender is released. */
  remove(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#host = undefined;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#tripped = false;
    const release = this.#release;
    this.#release = undefined;
    release?.resolve();
  }

  /** What to wait for before starting a plan: `[promise]` while tripped, else nothing. */
  getFutures(): { futures: Promise<void>[]; justification: string } {
    if (this.#release === undefined) return { futures: [], justification: "" };
    return { futures: [this.#release.promise], justification: this.justification() };
  }

  /** Why the plan is suspended, with the tripped message. */
  justification(): string {
    const text = this.describeTrip(this.#lastValue);
    return this.options.tripped_message ? `${text}: ${this.options.tripped_message}` : text;
  }

  protected abstract shouldSuspend(value: unknown): boolean;
  protected abstract shouldResume(value: unknown): boolean;
  protected abstract describeTrip(value: unknown): string;

  #onValue(value: unknown): void {
    this.#lastValue = value;
    const host = this.#host;
    if (host === undefined) return;
    if (this.shouldSuspend(value)) {
      this.#tripped = true;
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
      if (this.#release === undefined) {
        this.#release = deferred<void>();
        if (host.state === "running") {
          host.requestSuspend(this.#release.promise, {
            prePlan: this.options.pre_plan,
            postPlan: this.options.post_plan,
            justification: this.justification(),
          });
        }
      }
    } else if (this.shouldResume(value)) {
      this.#tripped = false;
      if (this.#release === undefined || this.#timer !== undefined) return;
      this.#timer = setTimeout(
        () => {
          this.#timer = undefined;
          if (this.#tripped) return;
          const release = this.#release;
          this.#release = undefined;
          release?.resolve();
        },
        (this.options.sleep ?? 0) * 1000,
      );
    }
  }
}

/** Suspends while the signal is truthy. */
export class SuspendBoolHigh extends SuspenderBase {
  protected shouldSuspend(value: unknown): boolean {
    return Boolean(value);
  }
  protected shouldResume(value: unknown): boolean {
    return !value;
  }
  protected describeTrip(): string {
    return `Signal ${this.signal.name} is high`;
  }
}

/** Suspends while the signal is falsy. */
export class SuspendBoolLow extends SuspenderBase {
  protected shouldSuspend(value: unknown): boolean {
    return !value;
  }
  protected shouldResume(value: unknown): boolean {
    return Boolean(value);
  }
  protected describeTrip(): string {
    return `Signal ${this.signal.name} is low`;
  }
}

/** Thresholds of SuspendFloor and SuspendCeil. */
export interface ThresholdOptions extends SuspenderOptions {
  /** Where the plan may resume (defaults to the suspend threshold). */
  resume_thresh?: number;
}

/** Suspends while the value is below `suspend_thresh`; resumes at `resume_thresh` or above. */
export class SuspendFloor extends SuspenderBase {
  readonly resumeThresh: number;
  constructor(
    signal: Subscribable,
    readonly suspendThresh: number,
    options: ThresholdOptions = {},
  ) {
    super(signal, options);
    this.resumeThresh = options.resume_thresh ?? suspendThresh;
    if (this.resumeThresh < suspendThresh) {
      throw new PlanArgumentError(
        `SuspendFloor: resume_thresh (${this.resumeThresh}) must be >= suspend_thresh (${suspendThresh})`,
      );
    }
  }
  protected shouldSuspend(value: unknown): boolean {
    return Number(value) < this.suspendThresh;
  }
  protected shouldResume(value: unknown): boolean {
    return Number(value) >= this.resumeThresh;
  }
  protected describeTrip(value: unknown): string {
    return `Signal ${this.signal.name} = ${String(value)} is below ${this.suspendThresh}`;
  }
}

/** Suspends while the value is above `suspend_thresh`; resumes at `resume_thresh` or below. */
export class SuspendCeil extends SuspenderBase {
  readonly resumeThresh: number;
  constructor(
    signal: Subscribable,
    readonly suspendThresh: number,
    options: ThresholdOptions = {},
  ) {
    super(signal, options);
    this.resumeThresh = options.resume_thresh ?? suspendThresh;
    if (this.resumeThresh > suspendThresh) {
      throw new PlanArgumentError(
        `SuspendCeil: resume_thresh (${this.resumeThresh}) must be <= suspend_thresh (${suspendThresh})`,
      );
    }
  }
  protected shouldSuspend(value: unknown): boolean {
    return Number(value) > this.suspendThresh;
  }
  protected shouldResume(value: unknown): boolean {
    return Number(value) <= this.resumeThresh;
  }
  protected describeTrip(value: unknown): string {
    return `Signal ${this.signal.name} = ${String(value)} is above ${this.suspendThresh}`;
  }
}

abstract class BandSuspender extends SuspenderBase {
  constructor(
    signal: Subscribable,
    readonly bandBottom: number,
    readonly bandTop: number,
    options: SuspenderOptions = {},
  ) {
    super(signal, options);
    if (!(bandBottom < bandTop)) {
      throw new PlanArgumentError(
        `band_bottom (${bandBottom}) must be below band_top (${bandTop})`,
      );
    }
  }
  protected inBand(value: unknown): boolean {
    const v = Number(value);
    return this.bandBottom < v && v < this.bandTop;
  }
}

/** Suspends while the value is outside (bottom, top); resumes inside. */
export class SuspendWhenOutsideBand extends BandSuspender {
  protected shouldSuspend(value: unknown): boolean {
    return !this.inBand(value);
  }
  protected shouldResume(value: unknown): boolean {
    return this.inBand(value);
  }
  protected describeTrip(value: unknown): string {
    return `Signal ${this.signal.name} = ${String(value)} is out of range (${this.bandBottom}, ${this.bandTop})`;
  }
}

/** Bluesky's deprecated name for SuspendWhenOutsideBand (same behaviour). */
export class SuspendInBand extends SuspendWhenOutsideBand {}

/** Suspends while the value is inside (bottom, top); resumes outside (deprecated in Bluesky). */
export class SuspendOutBand extends BandSuspender {
  protected shouldSuspend(value: unknown): boolean {
    return this.inBand(value);
  }
  protected shouldResume(value: unknown): boolean {
    return !this.inBand(value);
  }
  protected describeTrip(value: unknown): string {
    return `Signal ${this.signal.name} = ${String(value)} is in range (${this.bandBottom}, ${this.bandTop})`;
  }
}

/** Options of SuspendWhenChanged. */
export interface WhenChangedOptions extends SuspenderOptions {
  /** The value expected; the first value seen when omitted. */
  expected_value?: unknown;
  /** Resume when the expected value comes back (default false: stay suspended). */
  allow_resume?: boolean;
}

/** Suspends when the value differs from the expected one. */
export class SuspendWhenChanged extends SuspenderBase {
  #expected: unknown;
  #known: boolean;
  constructor(
    signal: Subscribable,
    readonly changedOptions: WhenChangedOptions = {},
  ) {
    super(signal, changedOptions);
    this.#expected = changedOptions.expected_value;
    this.#known = changedOptions.expected_value !== undefined;
  }
  protected shouldSuspend(value: unknown): boolean {
    if (!this.#known) {
      this.#expected = value;
      this.#known = true;
    }
    return value !== this.#expected;
  }
  protected shouldResume(value: unknown): boolean {
    return this.changedOptions.allow_resume === true && value === this.#expected;
  }
  protected describeTrip(value: unknown): string {
    return `Signal ${this.signal.name} = ${String(value)} changed from ${String(this.#expected)}`;
  }
}
