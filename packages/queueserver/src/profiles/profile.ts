// A profile is what the worker opens: devices and plans, each plan with a parameter
// description (TypeScript has no runtime signatures, so the profile states them).
import type { PlanLike } from "@cerulean/engine";

/** Python's parameter kinds (their names and values appear in plan descriptions). */
export type ParamKind = "POSITIONAL_OR_KEYWORD" | "VAR_POSITIONAL" | "KEYWORD_ONLY" | "VAR_KEYWORD";

export const PARAM_KIND_VALUES: Record<ParamKind, number> = {
  POSITIONAL_OR_KEYWORD: 1,
  VAR_POSITIONAL: 2,
  KEYWORD_ONLY: 3,
  VAR_KEYWORD: 4,
};

/** One plan parameter. */
export interface ParamSpec {
  name: string;
  kind?: ParamKind;
  /**
   * Type, in a small Python-like grammar: int, float, str, bool, dict, None, __READABLE__,
   * __MOVABLE__, __FLYABLE__, __DEVICE__, __PLAN__, list[T], and unions `A | B`.
   * Absent: anything, and strings naming devices or plans become those objects.
   */
  type?: string;
  /** Present when the parameter is optional. */
  default?: unknown;
  description?: string;
  min?: number;
  max?: number;
  step?: number;
  /** Allowed values (strings) for web forms and validation. */
  enum?: string[];
}

/** A plan the queue can run: its description and how to build it from resolved arguments. */
export interface PlanSpec {
  description: string;
  parameters: ParamSpec[];
  /** Builds the plan from arguments whose device and plan names are already objects. */
  build(args: unknown[], kwargs: Record<string, unknown>): PlanLike;
}

/** A function callable through `function_execute`. */
export type EnvironmentFunction = (...args: unknown[]) => unknown;

/** An opened environment. */
export interface Environment {
  devices: Record<string, unknown>;
  plans: Record<string, PlanSpec>;
  functions?: Record<string, EnvironmentFunction>;
  /** Persistent RunEngine metadata. */
  md?: Record<string, unknown>;
  close?(): Promise<void>;
}

/** Options a profile is opened with. */
export interface ProfileOptions {
  dataDir: string;
}

/** A named way to open an environment (`sim`, or a module exporting `profile`). */
export interface Profile {
  name: string;
  open(options: ProfileOptions): Promise<Environment>;
}
