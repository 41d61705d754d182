// Ctrl-C at the REPL: while a plan runs it pauses the RunEngine (once deferred, twice at once);
// while a plan is paused it only clears the line (a few quick presses must not end the session,
// the plan with it); otherwise it does what it always does at a Node prompt (clear the line,
// exit on a second press).
import type { REPLServer } from "node:repl";
import type { InterruptTarget, SignalSource } from "@cerulean/engine";

type EngineModule = typeof import("@cerulean/engine");

/** A key as readline decodes it. */
interface Key {
  ctrl?: boolean;
  name?: string;
}

/** The readline method every key goes through (REPLServer wraps it the same way for pausing). */
interface TtyWriter {
  _ttyWrite: (data: string, key: Key | undefined) => void;
}

export interface ReplInterruptOptions {
  /** Whether an engine call is in flight (then Ctrl-C belongs to the RunEngine). */
  busy: () => boolean;
  /** Whether the REPL waits for a call typed without await (keys are then held back). */
  holding: () => boolean;
  print: (line: string) => void;
  /** Where SIGINT comes from when the input is not a terminal (default process). */
  signals?: SignalSource;
}

/** What `wireInterrupts` returns: `reset` before each call, `dispose` at the end. */
export interface ReplInterrupts {
  reset(): void;
  /** Replays the keys held back while `holding()`. */
  release(): void;
  dispose(): void;
}

/**
 * Routes Ctrl-C to an InterruptHandler while `busy()`. On a terminal the key reaches the REPL as
 * a keypress (raw mode), even while the REPL waits for a top-level await, so the hook sits in
 * front of its key handler; without a terminal it arrives as SIGINT.
 */
export function wireInterrupts(
  server: REPLServer,
  engine: EngineModule,
  RE: InterruptTarget,
  options: ReplInterruptOptions,
): ReplInterrupts {
  const handler = new engine.InterruptHandler(RE, { print: options.print });
  const writer = server as unknown as TtyWriter;
  const original = writer._ttyWrite;
  // Keys typed while a call runs wait for the prompt, as they do during a top-level await.
  const held: [string, Key | undefined][] = [];
  writer._ttyWrite = (data, key) => {
    if (key?.ctrl && key.name === "c" && options.busy()) {
      handler.press();
      return;
    }
    if (key?.ctrl && key.name === "c" && RE.state !== "idle" && !options.holding()) {
      // The REPL exits on a second Ctrl-C at an empty line; on a line with text it only clears
      // it and forgets the first press. So a character is typed first.
      original.call(server, " ", { name: "space" });
      original.call(server, data, key);
      return;
    }
    if (options.holding()) {
      held.push([data, key]);
      return;
    }
    original.call(server, data, key);
  };
  const release = () => {
    while (held.length > 0 && !options.holding()) {
      const [data, key] = held.shift() as [string, Key | undefined];
      writer._ttyWrite(data, key);
    }
  };
  const signals = options.signals ?? process;
  // Without a listener SIGINT would kill the session, plan and all: act as the key would.
  const onSigint = () => {
    if (options.busy()) handler.press();
    else if (RE.state === "idle") server.emit("SIGINT");
  };
  signals.on("SIGINT", onSigint);
  return {
    reset: () => handler.reset(),
    release,
    dispose: () => {
      writer._ttyWrite = original;
      signals.off("SIGINT", onSigint);
    },
  };
}
