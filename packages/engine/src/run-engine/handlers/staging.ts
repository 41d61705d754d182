// Staging messages: stage, unstage.
import { DeviceError } from "../../errors.ts";
import { objectName } from "../../msg.ts";
import type { CommandHandler, EngineContext } from "../context.ts";
import { isStatus } from "../status-groups.ts";
import { handler, hasMethod } from "./typed.ts";

function stageOrUnstage(command: "stage" | "unstage") {
  return handler<"stage">((msg, ctx: EngineContext) => {
    const obj = msg.obj as unknown;
    if (!hasMethod(obj, "stage") || !hasMethod(obj, "unstage")) return [];
    const device = objectName(obj);
    let result: unknown;
    try {
      result = (obj[command] as () => unknown).call(obj);
    } catch (err) {
      throw new DeviceError(command, device, err);
    }
    if (command === "stage") ctx.staged.add(obj);
    else ctx.staged.delete(obj);
    ctx.resetCheckpointState();
    if (isStatus(result)) {
      ctx.groups.add(result, msg.kwargs.group, { command, device });
      return result;
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => value,
        (err: unknown) => {
          throw new DeviceError(command, device, err);
        },
      );
    }
    return result;
  });
}

/** Handlers of the staging family. */
export const stagingHandlers: Record<string, CommandHandler> = {
  stage: stageOrUnstage("stage"),
  unstage: stageOrUnstage("unstage"),
};
