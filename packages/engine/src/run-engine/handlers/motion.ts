// Motion messages: set, stop, prepare, locate.
import type { Locatable } from "@cerulean/devices/protocols";
import { DeviceError, ProtocolError } from "../../errors.ts";
import { objectName } from "../../msg.ts";
import type { CommandHandler } from "../context.ts";
import { asStatus } from "../promise-status.ts";
import { handler, hasMethod } from "./typed.ts";

/** Handlers of the motion family. */
export const motionHandlers: Record<string, CommandHandler> = {
  set: handler<"set">((msg, ctx) => {
    const obj = msg.obj as unknown;
    if (!hasMethod(obj, "set")) {
      throw new ProtocolError(`"set" needs a Movable object (with set()); got ${objectName(obj)}`);
    }
    const device = objectName(obj);
    ctx.moved.add(obj);
    const kwargs = msg.kwargs;
    let options: Record<string, unknown> | undefined;
    for (const key in kwargs) {
      if (key === "group") continue;
      options ??= {};
      options[key] = kwargs[key as keyof typeof kwargs];
    }
    let status: unknown;
    try {
      const set = obj.set as (value: unknown, options?: unknown) => unknown;
      status =
        options === undefined ? set.call(obj, msg.args[0]) : set.call(obj, msg.args[0], options);
    } catch (err) {
      throw new DeviceError("set", device, err);
    }
    const checked = asStatus(status, { command: "set", device });
    ctx.groups.add(checked, kwargs.group, { command: "set", device });
    return checked;
  }),
  stop: handler<"stop">(async (msg) => {
    const obj = msg.obj as unknown;
    if (!hasMethod(obj, "stop")) {
      throw new ProtocolError(
        `"stop" needs a Stoppable object (with stop()); got ${objectName(obj)}`,
      );
    }
    try {
      return await (obj.stop as () => unknown).call(obj);
    } catch (err) {
      throw new DeviceError("stop", objectName(obj), err);
    }
  }),
  prepare: handler<"prepare">((msg, ctx) => {
    const obj = msg.obj as unknown;
    if (!hasMethod(obj, "prepare")) {
      throw new ProtocolError(
        `"prepare" needs a Preparable object (with prepare()); got ${objectName(obj)}`,
      );
    }
    const device = objectName(obj);
    let status: unknown;
    try {
      status = (obj.prepare as (value: unknown) => unknown).call(obj, msg.args[0]);
    } catch (err) {
      throw new DeviceError("prepare", device, err);
    }
    const checked = asStatus(status, { command: "prepare", device });
    ctx.groups.add(checked, msg.kwargs.group, { command: "prepare", device });
    return checked;
  }),
  locate: handler<"locate">(async (msg) => {
    const objs = [msg.obj, ...msg.args] as unknown[];
    const locations = await Promise.all(
      objs.map(async (obj) => {
        if (!hasMethod(obj, "locate")) {
          throw new ProtocolError(
            `"locate" needs a Locatable object (with locate()); got ${objectName(obj)}`,
          );
        }
        try {
          return await (obj as unknown as Locatable).locate();
        } catch (err) {
          throw new DeviceError("locate", objectName(obj), err);
        }
      }),
    );
    return (msg.kwargs.squeeze ?? true) && locations.length === 1 ? locations[0] : locations;
  }),
};
