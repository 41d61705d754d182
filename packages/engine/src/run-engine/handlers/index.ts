// The built-in command table: one module per message family.
import type { CommandHandler } from "../context.ts";
import { controlHandlers } from "./control.ts";
import { flyHandlers } from "./fly.ts";
import { motionHandlers } from "./motion.ts";
import { readingHandlers } from "./readings.ts";
import { runHandlers } from "./run.ts";
import { stagingHandlers } from "./staging.ts";
import { subscriptionHandlers } from "./subscriptions.ts";

/** A fresh command table holding every built-in command. */
export function defaultCommands(): Map<string, CommandHandler> {
  return new Map(
    Object.entries({
      ...runHandlers,
      ...readingHandlers,
      ...motionHandlers,
      ...flyHandlers,
      ...stagingHandlers,
      ...controlHandlers,
      ...subscriptionHandlers,
    }),
  );
}
