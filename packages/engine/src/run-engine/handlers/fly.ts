// Fly-scan messages: kickoff, complete, collect.
import { DeviceError, ProtocolError } from "../../errors.ts";
import { objectName } from "../../msg.ts";
import type { CommandHandler } from "../context.ts";
import { collect } from "../fly-collector.ts";
import { asStatus } from "../promise-status.ts";
import { handler, hasMethod } from "./typed.ts";

/** Handlers of the fly-scan family. */
export const flyHandlers: Record<string, CommandHandler> = {
  kickoff: handler<"kickoff">((msg, ctx) => {
    const run = ctx.runFor(msg, "kickoff");
    const obj = msg.obj as unknown;
    if (!hasMethod(obj, "kickoff")) {
      throw new ProtocolError(
        `"kickoff" needs a Flyable object (with kickoff()); got ${objectName(obj)}`,
      );
    }
    const device = objectName(obj);
    let status: unknown;
    try {
      status = (obj.kickoff as () => unknown).call(obj);
    } catch (err) {
      throw new DeviceError("kickoff", device, err);
    }
    run.uncollected.add(obj);
    const checked = asStatus(status, { command: "kickoff", device });
    ctx.groups.add(checked, msg.kwargs.group, { command: "kickoff", device });
    return checked;
  }),
  complete: handler<"complete">((msg, ctx) => {
    const obj = msg.obj as unknown;
    if (!hasMethod(obj, "complete")) {
      throw new ProtocolError(
        `"complete" needs a Flyable object (with complete()); got ${objectName(obj)}`,
      );
    }
    const device = objectName(obj);
    let status: unknown;
    try {
      status = (obj.complete as () => unknown).call(obj);
    } catch (err) {
      throw new DeviceError("complete", device, err);
    }
    const checked = asStatus(status, { command: "complete", device });
    ctx.groups.add(checked, msg.kwargs.group, { command: "complete", device });
    return checked;
  }),
  collect: handler<"collect">((msg, ctx) => {
    const run = ctx.runFor(msg, "collect");
    return collect(run, [msg.obj, ...msg.args], {
      stream: msg.kwargs.stream,
      returnPayload: msg.kwargs.return_payload,
      name: msg.kwargs.name,
    });
  }),
};
