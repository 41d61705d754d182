// Subscription messages: subscribe, unsubscribe (removed again when the call ends).
import type { DocumentCallback } from "@cerulean/event-model";
import { PlanArgumentError } from "../../errors.ts";
import type { CommandHandler } from "../context.ts";
import type { SubscriptionName } from "../dispatcher.ts";
import { handler } from "./typed.ts";

/** Handlers of the subscriptions family. */
export const subscriptionHandlers: Record<string, CommandHandler> = {
  subscribe: handler<"subscribe">((msg, ctx) => {
    const [callback, name = "all"] = msg.args as readonly [DocumentCallback, SubscriptionName?];
    const token = ctx.engine.dispatcher.subscribe(callback, name);
    ctx.temporarySubscriptions.add(token);
    ctx.resetCheckpointState();
    return token;
  }),
  unsubscribe: handler<"unsubscribe">((msg, ctx) => {
    const token = msg.kwargs.token ?? msg.args[0];
    if (typeof token !== "number") {
      throw new PlanArgumentError(
        `"unsubscribe" needs the token subscribe returned; got ${JSON.stringify(token)}`,
      );
    }
    ctx.engine.dispatcher.unsubscribe(token);
    ctx.temporarySubscriptions.delete(token);
    ctx.resetCheckpointState();
    return undefined;
  }),
};
