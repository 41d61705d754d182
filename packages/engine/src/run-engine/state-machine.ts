// The RunEngine's states and the transitions allowed between them (Bluesky's RunEngineStateMachine).
import { TransitionError } from "../errors.ts";

/** The states of a RunEngine. */
export type EngineState =
  | "idle"
  | "running"
  | "pausing"
  | "paused"
  | "halting"
  | "stopping"
  | "aborting"
  | "suspending"
  | "panicked";

/** Every state, in Bluesky's order. */
export const ENGINE_STATES: readonly EngineState[] = [
  "idle",
  "running",
  "pausing",
  "paused",
  "halting",
  "stopping",
  "aborting",
  "suspending",
  "panicked",
];

/** From each state, the states it may move to. */
export const TRANSITIONS: Readonly<Record<EngineState, readonly EngineState[]>> = {
  idle: ["running", "panicked"],
  running: ["idle", "pausing", "halting", "stopping", "aborting", "suspending", "panicked"],
  pausing: ["paused", "idle", "halting", "aborting", "panicked"],
  suspending: ["running", "halting", "aborting", "panicked"],
  paused: ["idle", "running", "halting", "stopping", "aborting", "panicked"],
  halting: ["idle", "panicked"],
  stopping: ["idle", "panicked"],
  aborting: ["idle", "panicked"],
  panicked: [],
};

/** Called after each state change with the new and the old state. */
export type StateHook = (state: EngineState, old: EngineState) => void;

/** Holds the current state and refuses transitions the table does not allow. */
export class StateMachine {
  #state: EngineState = "idle";
  /** Called after every change (Bluesky's `state_hook`). */
  hook: StateHook | undefined;
  /** Receives what a throwing hook threw: a broken hook must not break a state change. */
  reportHookError: (err: unknown) => void = () => {};

  get state(): EngineState {
    return this.#state;
  }

  /** True when a pause may be requested (only while running). */
  get canPause(): boolean {
    return TRANSITIONS[this.#state].includes("pausing");
  }

  /** True when `to` is allowed from the current state. */
  canMoveTo(to: EngineState): boolean {
    return TRANSITIONS[this.#state].includes(to);
  }

  /** Moves to `to`; throws TransitionError when the table forbids it. Same-state is a no-op. */
  set(to: EngineState): void {
    const from = this.#state;
    if (from === to) return;
    if (!TRANSITIONS[from].includes(to)) {
      throw new TransitionError(
        `the RunEngine cannot go from "${from}" to "${to}"; from "${from}" it may go to: ${
          TRANSITIONS[from].join(", ") || "nothing (restart it)"
        }`,
      );
    }
    this.#state = to;
    if (this.hook) {
      try {
        this.hook(to, from);
      } catch (err) {
        this.reportHookError(err);
      }
    }
  }
}
