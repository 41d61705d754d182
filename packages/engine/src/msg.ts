// The message protocol: plans yield Msg objects, the RunEngine executes them and sends each
// result back into the plan. Command names are Bluesky's, so a plan reads the same in both.
import type {
  Collectable,
  Flyable,
  Locatable,
  Movable,
  Preparable,
  Readable,
  SetOptions,
  Stageable,
  Stoppable,
  Subscribable,
  Triggerable,
} from "@cerulean/devices/protocols";
import type { DocumentCallback, DocumentName } from "@cerulean/event-model";

/** Tells apart runs open at the same time (Bluesky's `Msg.run`); absent means the default run. */
export type RunKey = string | number;

/** Names a set of statuses to wait for together; absent means the default group. */
export type Group = string | number;

/**
 * One instruction of a plan: Bluesky's `Msg(command, obj, *args, run=..., **kwargs)`.
 * `obj` is `null` when the command takes no object.
 */
export interface Msg<TCommand extends string = string> {
  readonly command: TCommand;
  readonly obj: unknown;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
  readonly run?: RunKey | undefined;
}

/** Run metadata as plans and users supply it (keys end up in the start document). */
export type Metadata = Record<string, unknown>;

/** A group-able status-producing command's keyword arguments. */
export type GroupKwargs = { group?: Group };

export interface OpenRunMsg extends Msg<"open_run"> {
  readonly obj: null;
  readonly kwargs: Metadata;
}
export interface CloseRunMsg extends Msg<"close_run"> {
  readonly obj: null;
  readonly kwargs: { exit_status?: "success" | "abort" | "fail" | null; reason?: string | null };
}
export interface DeclareStreamMsg extends Msg<"declare_stream"> {
  readonly obj: null;
  readonly args: readonly (Readable | Collectable)[];
  readonly kwargs: { name: string; collect?: boolean };
}
export interface CreateMsg extends Msg<"create"> {
  readonly obj: null;
  readonly args: readonly [] | readonly [string];
  readonly kwargs: { name?: string };
}
export interface SaveMsg extends Msg<"save"> {
  readonly obj: null;
}
export interface DropMsg extends Msg<"drop"> {
  readonly obj: null;
}
export interface ReadMsg extends Msg<"read"> {
  readonly obj: Readable;
}
export interface LocateMsg extends Msg<"locate"> {
  readonly obj: Locatable;
  readonly args: readonly Locatable[];
  readonly kwargs: { squeeze?: boolean };
}
export interface MonitorMsg extends Msg<"monitor"> {
  readonly obj: Subscribable;
  readonly kwargs: { name?: string };
}
export interface UnmonitorMsg extends Msg<"unmonitor"> {
  readonly obj: Subscribable;
}
export interface NullMsg extends Msg<"null"> {
  readonly obj: null;
}
export interface StopMsg extends Msg<"stop"> {
  readonly obj: Stoppable;
}
export interface SetMsg extends Msg<"set"> {
  readonly obj: Movable;
  readonly args: readonly [unknown];
  readonly kwargs: GroupKwargs & { [K in keyof SetOptions]: SetOptions[K] };
}
export interface TriggerMsg extends Msg<"trigger"> {
  readonly obj: Triggerable;
  readonly kwargs: GroupKwargs;
}
export interface SleepMsg extends Msg<"sleep"> {
  readonly obj: null;
  /** Seconds. */
  readonly args: readonly [number];
}
export interface WaitMsg extends Msg<"wait"> {
  readonly obj: null;
  readonly args: readonly [] | readonly [Group | undefined];
  readonly kwargs: {
    group?: Group;
    /** Seconds. */
    timeout?: number | null;
    error_on_timeout?: boolean;
    watch?: readonly Group[];
  };
}
export interface CheckpointMsg extends Msg<"checkpoint"> {
  readonly obj: null;
}
export interface ClearCheckpointMsg extends Msg<"clear_checkpoint"> {
  readonly obj: null;
}
export interface RewindableMsg extends Msg<"rewindable"> {
  readonly obj: null;
  /** `null` only asks; a boolean sets. */
  readonly args: readonly [boolean | null];
}
export interface PauseMsg extends Msg<"pause"> {
  readonly obj: null;
  readonly kwargs: { defer?: boolean };
}
export interface ResumeMsg extends Msg<"resume" | "_resume_from_suspender"> {
  readonly obj: null;
}
export interface PrepareMsg extends Msg<"prepare"> {
  readonly obj: Preparable;
  readonly args: readonly [unknown];
  readonly kwargs: GroupKwargs;
}
export interface KickoffMsg extends Msg<"kickoff"> {
  readonly obj: Flyable;
  readonly kwargs: GroupKwargs;
}
export interface CompleteMsg extends Msg<"complete"> {
  readonly obj: Flyable;
  readonly kwargs: GroupKwargs;
}
export interface CollectMsg extends Msg<"collect"> {
  readonly obj: Collectable;
  readonly args: readonly Collectable[];
  readonly kwargs: { stream?: boolean; return_payload?: boolean; name?: string | null };
}
export interface ConfigureMsg extends Msg<"configure"> {
  readonly obj: Configurable;
}
export interface StageMsg extends Msg<"stage" | "unstage"> {
  readonly obj: Stageable;
  readonly kwargs: GroupKwargs;
}
export interface SubscribeMsg extends Msg<"subscribe"> {
  readonly obj: null;
  readonly args: readonly [DocumentCallback, (DocumentName | "all")?];
}
export interface UnsubscribeMsg extends Msg<"unsubscribe"> {
  readonly obj: null;
  readonly args: readonly [] | readonly [number];
  readonly kwargs: { token?: number };
}
export interface WaitForMsg extends Msg<"wait_for"> {
  readonly obj: null;
  readonly args: readonly [readonly (PromiseLike<unknown> | (() => PromiseLike<unknown>))[]];
  readonly kwargs: { timeout?: number | null };
}
export interface InputMsg extends Msg<"input"> {
  readonly obj: null;
  readonly kwargs: { prompt?: string };
}
export interface SuspenderMsg extends Msg<"install_suspender" | "remove_suspender"> {
  readonly obj: null;
  readonly args: readonly [unknown];
}
export interface ReClassMsg extends Msg<"RE_class"> {
  readonly obj: null;
}

/** A device that can be reconfigured (ophyd's `configure`), returning the old and new settings. */
export interface Configurable {
  configure(...args: unknown[]): ConfigureResult | PromiseLike<ConfigureResult>;
}
/** The `[old, new]` configuration pair `configure` returns. */
export type ConfigureResult = readonly [Record<string, unknown>, Record<string, unknown>];

/** Every built-in message, discriminated by `command`. */
export type KnownMsg =
  | OpenRunMsg
  | CloseRunMsg
  | DeclareStreamMsg
  | CreateMsg
  | SaveMsg
  | DropMsg
  | ReadMsg
  | LocateMsg
  | MonitorMsg
  | UnmonitorMsg
  | NullMsg
  | StopMsg
  | SetMsg
  | TriggerMsg
  | SleepMsg
  | WaitMsg
  | CheckpointMsg
  | ClearCheckpointMsg
  | RewindableMsg
  | PauseMsg
  | ResumeMsg
  | PrepareMsg
  | KickoffMsg
  | CompleteMsg
  | CollectMsg
  | ConfigureMsg
  | StageMsg
  | SubscribeMsg
  | UnsubscribeMsg
  | WaitForMsg
  | InputMsg
  | SuspenderMsg
  | ReClassMsg;

/** The built-in command names. */
export type CommandName = KnownMsg["command"];

/** The message type of a built-in command. */
export type MsgOf<TCommand extends CommandName> = KnownMsg extends infer M
  ? M extends { command: infer C }
    ? TCommand extends C
      ? M
      : never
    : never
  : never;

/** Commands never put in the rewind cache: replaying them would be wrong (Bluesky's list). */
export const UNCACHEABLE_COMMANDS: ReadonlySet<string> = new Set([
  "pause",
  "subscribe",
  "unsubscribe",
  "stage",
  "unstage",
  "monitor",
  "unmonitor",
  "open_run",
  "close_run",
  "install_suspender",
  "remove_suspender",
]);

const EMPTY_ARGS: readonly unknown[] = Object.freeze([]);
const EMPTY_KWARGS: Readonly<Record<string, unknown>> = Object.freeze({});

/** Optional parts of a message beyond its command and object. */
export interface MsgParts {
  args?: readonly unknown[];
  kwargs?: Readonly<Record<string, unknown>>;
  run?: RunKey;
}

/**
 * Builds a message, Bluesky's `Msg(command, obj, *args, run=..., **kwargs)`.
 * @example msg("set", motor, { args: [1.5], kwargs: { group: "A" } })
 */
export function msg(command: string, obj: unknown = null, parts: MsgParts = {}): Msg {
  const m: { -readonly [K in keyof Msg]: Msg[K] } = {
    command,
    obj,
    args: parts.args ?? EMPTY_ARGS,
    kwargs: parts.kwargs ?? EMPTY_KWARGS,
  };
  if (parts.run !== undefined) m.run = parts.run;
  return m;
}

/** The name of a message's object for error texts and summaries: its `name`, else a short form. */
export function objectName(obj: unknown): string {
  if (obj === null || obj === undefined) return "None";
  if (typeof obj === "object" || typeof obj === "function") {
    const name = (obj as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") return name;
    return (obj as object).constructor?.name ?? typeof obj;
  }
  return String(obj);
}

/** A one-line rendering like Bluesky's Msg repr: `Msg('set', obj=motor, args=(1,), kwargs={}, run=None)`. */
export function formatMsg(m: Msg): string {
  const args = m.args.map(shortValue).join(", ");
  const kwargs = Object.entries(m.kwargs)
    .map(([k, v]) => `'${k}': ${shortValue(v)}`)
    .join(", ");
  const run = m.run === undefined ? "None" : shortValue(m.run);
  return `Msg('${m.command}', obj=${m.obj === null ? "None" : objectName(m.obj)}, args=(${args}${
    m.args.length === 1 ? "," : ""
  }), kwargs={${kwargs}}, run=${run})`;
}

function shortValue(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "function") return `<function ${v.name || "anonymous"}>`;
  if (Array.isArray(v)) return `[${v.map(shortValue).join(", ")}]`;
  if (typeof v === "object" && typeof (v as { name?: unknown }).name === "string") {
    return objectName(v);
  }
  try {
    const text = JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return "<object>";
  }
}
