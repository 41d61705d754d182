// Handlers are stored untyped in the command table; each is written against its own Msg type.
import type { CommandName, MsgOf } from "../../msg.ts";
import type { CommandHandler, EngineContext } from "../context.ts";

/** A handler for one built-in command, typed by its message. */
export type TypedHandler<TCommand extends CommandName> = (
  msg: MsgOf<TCommand>,
  ctx: EngineContext,
) => unknown;

/** Stores a typed handler in the command table (messages are checked at run time by handlers). */
export function handler<TCommand extends CommandName>(fn: TypedHandler<TCommand>): CommandHandler {
  return fn as CommandHandler;
}

/** Calls `method` of `obj` by name, or throws ProtocolError-like TypeError naming what is missing. */
export function hasMethod<K extends string>(
  obj: unknown,
  method: K,
): obj is Record<K, (...args: never[]) => unknown> & { name?: string } {
  return (
    typeof obj === "object" &&
    obj !== null &&
    typeof (obj as Record<K, unknown>)[method] === "function"
  );
}
