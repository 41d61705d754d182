// `cerulean repl`: a Node prompt with the RunEngine as `RE`, the plans and the profile's devices.
import { join } from "node:path";
import { type ReplOptions as NodeReplOptions, type REPLEval, start } from "node:repl";
import type { SignalSource } from "@cerulean/engine";
import { openSession, type SessionOptions } from "../session/open-session.ts";
import { unknownNameHint } from "../session/plan-scope.ts";
import {
  onTermination,
  signalExitCode,
  type TerminationSignal,
  type TerminationSource,
} from "../termination.ts";
import { isEngineCall, PAUSED_MESSAGE } from "./callable-engine.ts";
import { lineFeeder } from "./line-feeder.ts";
import { type ReplInterrupts, wireInterrupts } from "./repl-interrupts.ts";
import { replScope } from "./repl-scope.ts";

/** The history file's name in the data directory. */
export const HISTORY_FILE = ".cerulean_history";

/** What `cerulean repl` opens and where it talks. */
export interface ReplOptions extends Omit<SessionOptions, "print"> {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Whether the streams are a terminal (default: whether both are TTYs). */
  terminal?: boolean;
  /** The history file (default <data>/.cerulean_history); false keeps no history. */
  history?: string | false;
  /** Where SIGINT comes from when the input is not a terminal (default process). */
  signals?: SignalSource;
  /** Where SIGTERM and SIGHUP come from (default process). */
  terminations?: TerminationSource;
}

/** The prompt. */
export const PROMPT = "cerulean> ";

function banner(name: string, devices: string[], dataDir: string, history: string | false) {
  const shown = devices.slice(0, 12).join(", ") + (devices.length > 12 ? ", ..." : "");
  return [
    `Cerulean REPL, profile "${name}": ${devices.length} devices (${shown}).`,
    `Runs go to ${join(dataDir, "catalog.sqlite")}${history === false ? "" : `; history in ${history}`}.`,
    "  await RE(scan([det], motor, -1, 1, 11))   run a plan (Ctrl-C pauses; then RE.resume(), RE.stop(), RE.abort(), RE.halt())",
    "  wa()  mv(motor, 1)  mvr(motor, 0.1)  ct()  cen()  com()  peak()  goto_cen()",
    "  bp.* plans, bps.* plan stubs, bpp.* preprocessors; Tab completes names; .exit leaves.",
  ].join("\n");
}

/** Waits until `done()`. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 50));
}

/** Opens the session and runs the prompt until `.exit` or end of input; resolves to the exit code. */
export async function startRepl(options: ReplOptions = {}): Promise<number> {
  const output = options.output ?? process.stdout;
  const input = options.input ?? process.stdin;
  const print = (line: string) => {
    output.write(`${line}\n`);
  };
  const {
    input: _i,
    output: _o,
    terminal: _t,
    history: _h,
    signals: _s,
    terminations: _term,
    ...sessionOptions
  } = options;
  const session = await openSession({ ...sessionOptions, print });
  let interrupts: ReplInterrupts | undefined;
  const scope = replScope(session, { print, onStart: () => interrupts?.reset() });
  const isTTY = (stream: unknown) => (stream as { isTTY?: boolean }).isTTY === true;
  // A script piped in (`cerulean repl < session.js`) is read line by line even on a terminal.
  const terminal = options.terminal ?? (isTTY(input) && isTTY(output));
  // Only a terminal has lines to recall.
  const history = terminal ? (options.history ?? join(session.dataDir, HISTORY_FILE)) : false;
  print(
    banner(session.profile.name, Object.keys(session.profile.devices), session.dataDir, history),
  );
  const feeder = terminal ? undefined : lineFeeder(input);
  // historySize reaches readline (default 30 lines) though the REPL's types do not list it.
  const replOptions: NodeReplOptions & { historySize: number } = {
    prompt: PROMPT,
    input: feeder?.stream ?? input,
    output,
    terminal,
    // The preview evaluates what is typed; it must never start a plan or a move.
    preview: false,
    ignoreUndefined: true,
    historySize: 1000,
  };
  const server = start(replOptions);
  Object.assign(server.context, scope.names);
  const names = Object.keys(scope.names);
  if (feeder) {
    const display = server.displayPrompt.bind(server);
    server.displayPrompt = (preserveCursor?: boolean) => {
      display(preserveCursor);
      feeder.next();
    };
    feeder.next();
  }
  // Errors reach the REPL's own handler (a domain), not the eval callback: the writer that
  // shows them is where an unknown name gets the closest ones suggested.
  const write = server.writer;
  (server as unknown as { writer: (value: unknown) => string }).writer = Object.assign(
    (value: unknown) => withHint(value, write.call(server, value), names),
    { options: (write as { options?: unknown }).options },
  );
  const evaluate = server.eval;
  let waiting = 0;
  // Engine calls typed without `await` (`RE(plan)`, `mv(motor, 1)`) finish before the next
  // prompt, as in IPython.
  const { PlanArgumentError, TransitionError, RunEngineBusy } = session.engine;
  // A plan refusing its arguments or a RunEngine in the wrong state is the user's to fix: the
  // message says it all, the stack of the library would only hide it.
  const shown = (err: Error | null): Error | null => {
    if (
      err instanceof PlanArgumentError ||
      err instanceof TransitionError ||
      err instanceof RunEngineBusy
    ) {
      err.stack = `${err.name}: ${err.message}`;
    }
    return err;
  };
  // Errors thrown while the line is evaluated reach the REPL's domain, not the eval callback.
  (server as unknown as { _domain?: NodeJS.EventEmitter })._domain?.prependListener(
    "error",
    (err: unknown) => {
      if (err instanceof Error) shown(err);
    },
  );
  const wrapped: REPLEval = function (this: unknown, code, context, file, cb) {
    evaluate.call(this as never, code, context, file, (err, result) => {
      if (err || !isEngineCall(result)) {
        cb(shown(err), result);
        return;
      }
      waiting++;
      const done = () => {
        waiting--;
        // After the prompt is back, so that held keys land on a fresh line.
        setImmediate(() => interrupts?.release());
      };
      result.then(
        (value) => {
          done();
          cb(null, value);
        },
        (error: unknown) => {
          done();
          cb(shown(error as Error), undefined);
        },
      );
    });
  };
  (server as unknown as { eval: REPLEval }).eval = wrapped;
  interrupts = wireInterrupts(server, session.engine, session.RE, {
    busy: scope.busy,
    holding: () => waiting > 0,
    print,
    ...(options.signals === undefined ? {} : { signals: options.signals }),
  });
  if (history !== false) {
    await new Promise<void>((resolve) => {
      server.setupHistory(history, (err) => {
        if (err) print(`cerulean repl: no history (${err.message})`);
        resolve();
      });
    });
  }
  const wired = interrupts;
  // SIGTERM or SIGHUP: the plan is aborted (its runs get a stop document), then the session
  // ends as at `.exit`, with the signal's exit code.
  let terminatedBy: TerminationSignal | undefined;
  const stopTerminations = onTermination((signal) => {
    terminatedBy = signal;
    print(`\ncerulean repl: ${signal}: ending the session`);
    if (session.RE.state !== "idle") {
      session.RE.abort(`terminated by ${signal}`).catch((err: unknown) => {
        print(`cerulean repl: the abort failed: ${(err as Error).message}`);
      });
    }
    server.close();
    // A pipe still open must not keep the process alive.
    feeder?.close();
  }, options.terminations);
  return new Promise<number>((resolve) => {
    server.on("exit", () => {
      void (async () => {
        // A plan typed before the input ended is allowed to finish (Ctrl-C still pauses it);
        // a plan left paused is aborted, so that its run is closed in the catalog.
        await until(() => !scope.busy());
        if (session.RE.state === "paused") {
          print(`${PAUSED_MESSAGE}\nThe session is ending: aborting the paused plan.`);
          await session.RE.abort("the REPL session ended").catch((err: unknown) => {
            print(`cerulean repl: the abort failed: ${(err as Error).message}`);
          });
        }
        wired.dispose();
        await session.close();
        stopTerminations();
        resolve(terminatedBy ? signalExitCode(terminatedBy) : 0);
      })();
    });
  });
}

/** The hint shown under a plan that was built but not run. */
export const PLAN_NOT_RUN_HINT = "(a plan, not run: run it with RE(...), e.g. RE(count([det], 3)))";

/**
 * Adds "; did you mean ...?" to the text of a ReferenceError (it comes from another realm), and
 * says how to run a plan that was typed without RE(...).
 */
function withHint(value: unknown, text: string, names: readonly string[]): string {
  if (!(typeof value === "object" && value !== null)) return text;
  if (Object.prototype.toString.call(value) === "[object Generator]") {
    return `${text}\n${PLAN_NOT_RUN_HINT}`;
  }
  const { name, message } = value as { name?: unknown; message?: unknown };
  if (name !== "ReferenceError" || typeof message !== "string") return text;
  const hint = unknownNameHint(message, names);
  return hint === "" ? text : text.replace(message, `${message}${hint}`);
}
