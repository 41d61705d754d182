// The RunEngine's options, defaults and the shapes its API takes.
import type { DocumentCallback } from "@cerulean/event-model";
import { PlanArgumentError } from "../errors.ts";
import type { Plan, Preprocessor } from "../plan.ts";
import { repr } from "../utils/repr.ts";
import type { SubscriptionName } from "./dispatcher.ts";
import type { SuspenderHost } from "./suspenders.ts";

/** Printed when a plan pauses (Bluesky's PAUSE_MSG, with our method names). */
export const PAUSE_MSG = `Your RunEngine is entering a paused state. These are your options for changing
the state of the RunEngine:

RE.resume()    Resume the plan.
RE.abort()     Perform cleanup, then kill plan. Mark exit_status='abort'.
RE.stop()      Perform cleanup, then kill plan. Mark exit_status='success'.
RE.halt()      Emergency Stop: Do not perform cleanup --- just stop.`;

/** Where the engine's messages go. */
export interface EngineLog {
  info(message: string): void;
  warn(message: string, err?: unknown): void;
}

/** Something installable as a suspender (see SuspenderBase). */
export interface Suspender {
  install(host: SuspenderHost): void;
  remove(): void;
  getFutures(): { futures: Promise<unknown>[]; justification: string };
}

/** Subscriptions for one call: a callback (all documents), a list, or callbacks per document name. */
export type CallSubscriptions =
  | DocumentCallback
  | readonly DocumentCallback[]
  | Partial<Record<SubscriptionName, DocumentCallback | readonly DocumentCallback[]>>;

export interface CallOptions {
  /** Subscribed for this call only. */
  subs?: CallSubscriptions;
  /** Metadata for every run of this call; wins over the plan's and the persistent metadata. */
  md?: Record<string, unknown>;
}

export interface RunEngineOptions {
  /** Persistent metadata, updated in place (scan_id); `versions` is added. */
  md?: Record<string, unknown>;
  /** Wrap every plan, in order: with `[f, g]` the engine runs `g(f(plan))`, as Bluesky's code does. */
  preprocessors?: PreprocessorLike[];
  /** Throws to refuse a run's metadata (default: `sample` must be a string or an object). */
  mdValidator?: (md: Record<string, unknown>) => void;
  /** Returns the metadata to use (gets a deep copy). */
  mdNormalizer?: (md: Record<string, unknown>) => Record<string, unknown>;
  /** The next scan_id (default: md.scan_id + 1). */
  scanIdSource?: (md: Record<string, unknown>) => number | Promise<number>;
  /** Record pauses, resumes and suspensions in an 'interruptions' stream of each run. */
  recordInterruptions?: boolean;
  /** Report throwing subscribers instead of failing the plan (Bluesky's ignore_callback_exceptions). */
  ignoreCallbackExceptions?: boolean;
  /** Validate every document against the schemas (slower; for debugging). */
  validateDocuments?: boolean;
  /** Refuse `create` of streams not declared with `declare_stream`. */
  requireStreamDeclaration?: boolean;
  /** Reads a line for the `input` message (default: from stdin). */
  input?: (prompt: string) => Promise<string>;
  log?: EngineLog;
}

export function defaultMdValidator(md: Record<string, unknown>): void {
  const sample = md["sample"];
  if (
    sample !== undefined &&
    typeof sample !== "string" &&
    (typeof sample !== "object" || sample === null)
  ) {
    throw new PlanArgumentError(
      `metadata "sample" must be a string or an object; got ${JSON.stringify(sample)}`,
    );
  }
}

export function defaultScanIdSource(md: Record<string, unknown>): number {
  const current = md["scan_id"];
  return (typeof current === "number" ? current : 0) + 1;
}

export async function readLine(prompt: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}

export const consoleLog: EngineLog = {
  info: () => {},
  warn: (message, err) => console.warn(`RunEngine: ${message}`, err ?? ""),
};

/** An object that wraps plans, such as SupplementalData. */
export interface PlanWrapper {
  wrap(plan: Plan): Plan;
}

/**
 * An entry of `RE.preprocessors`: a function `f(plan)` or an object with `wrap(plan)`, so that
 * `RE.preprocessors.push(sd)` works as Python's `RE.preprocessors.append(sd)` does.
 */
export type PreprocessorLike = Preprocessor | PlanWrapper;

/** Applies one entry of `RE.preprocessors` to `plan`. */
export function applyPreprocessor(preprocessor: unknown, plan: Plan): Plan {
  if (typeof preprocessor === "function") return (preprocessor as Preprocessor)(plan);
  if (typeof (preprocessor as { wrap?: unknown } | null)?.wrap === "function") {
    return (preprocessor as PlanWrapper).wrap(plan);
  }
  throw new PlanArgumentError(
    `RE.preprocessors: each entry must be a function f(plan) or an object with wrap(plan) (such as SupplementalData); got ${repr(preprocessor)}`,
  );
}

/** Turns a call's `subs` option into (name, callback) pairs. */
export function normalizeSubs(
  subs: CallSubscriptions | undefined,
): [SubscriptionName, DocumentCallback][] {
  if (subs === undefined) return [];
  if (typeof subs === "function") return [["all", subs]];
  if (Array.isArray(subs)) return (subs as DocumentCallback[]).map((cb) => ["all", cb]);
  const out: [SubscriptionName, DocumentCallback][] = [];
  for (const [name, cbs] of Object.entries(
    subs as Record<string, DocumentCallback | DocumentCallback[]>,
  )) {
    for (const cb of Array.isArray(cbs) ? cbs : [cbs]) out.push([name as SubscriptionName, cb]);
  }
  return out;
}
