// Turns device and plan names in a plan's JSON arguments into objects, per the parameter
// description: typed device/plan parameters always, unannotated ones when a string matches.
import type { PlanDescription } from "../profiles/describe.ts";
import type { Environment } from "../profiles/profile.ts";

const CONVERTING = /__(DEVICE|READABLE|MOVABLE|FLYABLE|PLAN|PLAN_OR_DEVICE|CALLABLE)__/;

/** The device at a (possibly dotted) name, or undefined. */
export function findDevice(env: Environment, name: string): unknown {
  const [root, ...path] = name.split(".");
  let obj: unknown = root === undefined ? undefined : env.devices[root];
  for (const part of path) {
    if (typeof obj !== "object" || obj === null) return undefined;
    obj = (obj as Record<string, unknown>)[part];
  }
  return obj;
}

function convert(value: unknown, env: Environment): unknown {
  if (typeof value === "string") {
    const device = findDevice(env, value);
    if (device !== undefined) return device;
    const plan = env.plans[value];
    if (plan) return (...args: unknown[]) => plan.build(args, {});
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => convert(v, env));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, env)]));
  }
  return value;
}

/** True when strings in a parameter of this type become devices and plans in the worker. */
export function shouldConvert(type: string | undefined): boolean {
  return type === undefined || type === "any" || CONVERTING.test(type);
}

/** Args and kwargs with names resolved. */
export function resolveArguments(
  plan: PlanDescription,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
  env: Environment,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  const positional = plan.parameters.filter((p) => p.kind.name === "POSITIONAL_OR_KEYWORD");
  const varPos = plan.parameters.find((p) => p.kind.name === "VAR_POSITIONAL");
  const varKw = plan.parameters.find((p) => p.kind.name === "VAR_KEYWORD");
  const outArgs = args.map((value, i) => {
    const p = positional[i] ?? varPos;
    return shouldConvert(p?.annotation?.type) ? convert(value, env) : value;
  });
  const outKwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    const p = plan.parameters.find((q) => q.name === key) ?? varKw;
    outKwargs[key] =
      key !== "md" && shouldConvert(p?.annotation?.type) ? convert(value, env) : value;
  }
  return { args: outArgs, kwargs: outKwargs };
}
