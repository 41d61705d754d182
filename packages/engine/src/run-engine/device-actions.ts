// What the loop does to devices and plans on pause, suspension and cleanup.
import { NoReplayAllowed } from "../errors.ts";
import { objectName } from "../msg.ts";
import type { Plan } from "../plan.ts";

/** Where failures that must not stop a cleanup go. */
export type Warn = (message: string, err: unknown) => void;

/** Calls `stop({success: true})` on every object that has it (moved motors); failures are warned. */
export async function stopMoved(objs: Iterable<object>, warn: Warn): Promise<void> {
  for (const obj of objs) {
    const stop = (obj as { stop?: unknown }).stop;
    if (typeof stop !== "function") continue;
    try {
      await stop.call(obj, { success: true });
    } catch (err) {
      warn(`stop() of "${objectName(obj)}" failed`, err);
    }
  }
}

/**
 * Calls `pause()` or `resume()` on every Pausable object (flyers included). A device refusing to
 * be replayed (NoReplayAllowed from pause) calls `noReplay`; other failures are warned.
 */
export async function callPausables(
  objs: Iterable<object>,
  method: "pause" | "resume",
  on: { warn: Warn; noReplay: () => void },
): Promise<void> {
  for (const obj of objs) {
    const device = obj as { pause?: unknown; resume?: unknown };
    if (typeof device.pause !== "function" || typeof device.resume !== "function") continue;
    try {
      await (device[method] as () => unknown).call(obj);
    } catch (err) {
      const noReplay =
        err instanceof NoReplayAllowed || (err as Error | null)?.name === "NoReplayAllowed";
      if (method === "pause" && noReplay) on.noReplay();
      else on.warn(`${method}() of "${objectName(obj)}" failed`, err);
    }
  }
}

/** Closes a plan: its finally blocks run, messages they still yield are not executed. */
export function closePlan(gen: Plan<unknown>, warn: Warn): void {
  for (let i = 0; i < 100; i++) {
    try {
      if (gen.return(undefined).done) return;
    } catch (err) {
      warn("a plan failed while being closed", err);
      return;
    }
  }
}

/** Unstages what is still staged, last staged first; failures are warned. */
export async function unstageAll(staged: Iterable<object>, warn: Warn): Promise<void> {
  for (const obj of [...staged].reverse()) {
    try {
      await (obj as { unstage: () => unknown }).unstage();
    } catch (err) {
      warn(`unstage() of "${objectName(obj)}" failed`, err);
    }
  }
}
