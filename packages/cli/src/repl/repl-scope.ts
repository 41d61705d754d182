// What the REPL prompt sees: the session's plans and devices, RE, the SPEC shortcuts, lastRun.
import { LastRunPeak } from "@cerulean/callbacks";
import type { Session } from "../session/open-session.ts";
import { tableCallback } from "../session/table-callback.ts";
import { type CallableEngine, callableEngine } from "./callable-engine.ts";
import { makeShortcuts } from "./shortcuts.ts";

/** The REPL's names and the hooks it drives. */
export interface ReplScope {
  /** Everything bound at the prompt, by name. */
  names: Record<string, unknown>;
  RE: CallableEngine;
  lastRun: LastRunPeak;
  /** Whether an engine call (a plan, a resume, a shortcut move) is in flight. */
  busy(): boolean;
}

export interface ReplScopeOptions {
  print: (line: string) => void;
  /** Called before each engine call (the Ctrl-C counter starts over). */
  onStart?: () => void;
  /** Called after each engine call settled. */
  onSettled?: () => void;
}

/**
 * Builds the prompt's names over an open session: the plans (top level and as `bp`), `bps`,
 * `bpp`, the devices, `RE` (callable), the shortcuts (wa, mv, mvr, ct, cen, com, peak, goto_cen)
 * and `lastRun` (the peak statistics of the last good run). Subscribes a LiveTable with a
 * progress bar and the peak statistics to the session's RunEngine.
 */
export function replScope(session: Session, options: ReplScopeOptions): ReplScope {
  const { print } = options;
  let inFlight = 0;
  const RE = callableEngine(session.RE, {
    print,
    onStart: () => {
      inFlight++;
      options.onStart?.();
    },
    onSettled: () => {
      inFlight--;
      void session.save();
      options.onSettled?.();
    },
  });
  const lastRun = new LastRunPeak();
  session.RE.subscribe(lastRun.callback);
  session.RE.subscribe(tableCallback(print, { progress: true }));
  const shortcuts = makeShortcuts({
    RE,
    devices: session.profile.devices,
    ...(session.profile.detectors === undefined ? {} : { detectors: session.profile.detectors }),
    lastRun,
    bps: { mv: session.engine.bps.mv, mvr: session.engine.bps.mvr },
    print,
  });
  const names: Record<string, unknown> = { ...session.scope, ...shortcuts, RE, lastRun };
  // A device the profile names like a shortcut keeps its name: the profile is the user's word.
  Object.assign(names, session.profile.devices);
  return { names, RE, lastRun, busy: () => inFlight > 0 };
}
