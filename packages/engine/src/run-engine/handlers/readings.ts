// Reading messages: read, trigger, configure.
import type { Readable, Readings } from "@cerulean/devices/protocols";
import { DeviceError, IllegalMessageSequence, ProtocolError } from "../../errors.ts";
import { objectName } from "../../msg.ts";
import type { CommandHandler } from "../context.ts";
import { asStatus } from "../promise-status.ts";
import type { RunBundler } from "../run-bundler.ts";
import { assertReadable } from "../stream-cache.ts";
import { handler, hasMethod } from "./typed.ts";

async function readAndBundle(obj: Readable, run: RunBundler | undefined): Promise<Readings> {
  let reading: Readings;
  try {
    reading = await obj.read();
  } catch (err) {
    throw new DeviceError("read", obj.name, err);
  }
  if (reading === null || typeof reading !== "object") {
    throw new DeviceError(
      "read",
      obj.name,
      `read() returned ${reading === null ? "null" : typeof reading}, not readings`,
    );
  }
  if (run?.bundling) {
    const pending = run.addReading(obj, reading);
    if (pending !== undefined) await pending;
  }
  return reading;
}

/** Handlers of the readings family. */
export const readingHandlers: Record<string, CommandHandler> = {
  read: handler<"read">((msg, ctx) =>
    readAndBundle(assertReadable(msg.obj, "read"), ctx.runs.get(msg.run)),
  ),
  trigger: handler<"trigger">((msg, ctx) => {
    const obj = msg.obj;
    if (!hasMethod(obj, "trigger")) {
      throw new ProtocolError(
        `"trigger" needs a Triggerable object (with trigger()); got ${objectName(obj)}`,
      );
    }
    const device = objectName(obj);
    let status: unknown;
    try {
      status = obj.trigger();
    } catch (err) {
      throw new DeviceError("trigger", device, err);
    }
    const checked = asStatus(status, { command: "trigger", device });
    ctx.groups.add(checked, msg.kwargs.group, { command: "trigger", device });
    return checked;
  }),
  configure: handler<"configure">(async (msg, ctx) => {
    const obj = msg.obj as unknown;
    if (!hasMethod(obj, "configure")) {
      throw new ProtocolError(
        `"configure" needs an object with configure(); got ${objectName(obj)}`,
      );
    }
    for (const run of ctx.runs.values()) {
      if (run.bundling) {
        throw new IllegalMessageSequence(
          `"configure" of "${objectName(obj)}" between "create" and "save"; configure before create or after save`,
        );
      }
    }
    const args =
      msg.args.length > 0 ? msg.args : Object.keys(msg.kwargs).length > 0 ? [msg.kwargs] : [];
    let result: unknown;
    try {
      result = await (obj.configure as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      throw new DeviceError("configure", objectName(obj), err);
    }
    for (const run of ctx.runs.values()) await run.reconfigured(obj as object);
    return result;
  }),
};
