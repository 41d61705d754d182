// Flow-control messages: null, sleep, wait, wait_for, checkpoint, clear_checkpoint, rewindable,
// pause, resume, input, install/remove_suspender, RE_class.
import { IllegalMessageSequence, PlanArgumentError, WaitForTimeoutError } from "../../errors.ts";
import type { Group } from "../../msg.ts";
import type { CommandHandler } from "../context.ts";
import { handler } from "./typed.ts";

function sleep(seconds: number, onAbandon: (cancel: () => void) => () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      forget();
      resolve();
    }, seconds * 1000);
    const forget = onAbandon(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const resume = handler<"resume">(async (_msg, ctx) => {
  for (const run of ctx.runs.values()) run.monitors.restore();
  await ctx.resumeDevices();
  return undefined;
});

/** Handlers of the flow-control family. */
export const controlHandlers: Record<string, CommandHandler> = {
  null: () => undefined,
  sleep: handler<"sleep">((msg, ctx) => {
    const seconds = msg.args[0];
    if (typeof seconds !== "number" || !(seconds >= 0)) {
      throw new PlanArgumentError(
        `"sleep" needs a duration in seconds >= 0; got ${JSON.stringify(seconds)}`,
      );
    }
    return sleep(seconds, (cancel) => ctx.onAbandon(cancel)).then(() => undefined);
  }),
  wait: handler<"wait">((msg, ctx) => {
    const kwargs = msg.kwargs;
    const group = (kwargs.group ?? msg.args[0]) as Group | undefined;
    return ctx.groups.wait(group, {
      timeout: kwargs.timeout,
      errorOnTimeout: kwargs.error_on_timeout ?? true,
      watch: kwargs.watch ?? [],
    });
  }),
  wait_for: handler<"wait_for">(async (msg, ctx) => {
    const factories = msg.args[0];
    if (!Array.isArray(factories)) {
      throw new PlanArgumentError(
        `"wait_for" needs a list of promises or promise factories; got ${typeof factories}`,
      );
    }
    const all = Promise.all(factories.map((f) => (typeof f === "function" ? f() : f)));
    const timeout = msg.kwargs.timeout;
    let timer: NodeJS.Timeout | undefined;
    // Registered even without a timeout: a pause may abandon the wait (re-issued on resume).
    const forget = ctx.onAbandon(() => clearTimeout(timer));
    try {
      if (typeof timeout !== "number") return await all;
      return await Promise.race([
        all,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new WaitForTimeoutError(
                  `wait_for: not all ${factories.length} awaitables done after ${timeout} s`,
                ),
              ),
            timeout * 1000,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      forget();
    }
  }),
  checkpoint: handler<"checkpoint">((_msg, ctx) => {
    for (const run of ctx.runs.values()) {
      if (run.bundling) {
        throw new IllegalMessageSequence(
          `"checkpoint" between "create" and "save"; checkpoint before create or after save`,
        );
      }
    }
    ctx.checkpoint();
    if (ctx.engine.deferredPauseRequested) ctx.engine.requestPause({ defer: false });
    return undefined;
  }),
  clear_checkpoint: handler<"clear_checkpoint">((_msg, ctx) => {
    ctx.clearCheckpoint();
    return undefined;
  }),
  rewindable: handler<"rewindable">((msg, ctx) => {
    const flag = msg.args[0];
    if (flag !== null && flag !== undefined) {
      const value = Boolean(flag);
      if (value !== ctx.rewindable) {
        ctx.rewindable = value;
        if (ctx.resumable) ctx.resetCheckpointState();
      }
    }
    return ctx.rewindable;
  }),
  pause: handler<"pause">((msg, ctx) => {
    ctx.engine.requestPause({ defer: msg.kwargs.defer === true });
    return undefined;
  }),
  resume,
  _resume_from_suspender: resume,
  input: handler<"input">((msg, ctx) => {
    // Registered so that a pause may abandon the prompt (it is asked again on resume).
    const forget = ctx.onAbandon(() => {});
    return ctx.engine.input(msg.kwargs.prompt ?? String(msg.args[0] ?? "")).finally(forget);
  }),
  install_suspender: handler<"install_suspender">((msg, ctx) => {
    ctx.engine.installSuspender(msg.args[0]);
    return undefined;
  }),
  remove_suspender: handler<"remove_suspender">((msg, ctx) => {
    ctx.engine.removeSuspender(msg.args[0]);
    return undefined;
  }),
  RE_class: (_msg, ctx) => ctx.engine.engineClass,
};
