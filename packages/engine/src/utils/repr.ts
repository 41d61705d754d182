// Plan metadata records arguments as text (Bluesky stores Python reprs in plan_args).

/** A short textual form of a plan argument: devices by class and name, data as JSON. */
export function repr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "function") return value.name || "<function>";
  if (typeof value === "object") {
    const name = (value as { name?: unknown }).name;
    if (typeof name === "string") return `${value.constructor?.name ?? "Device"}(name='${name}')`;
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return typeof value === "string" ? `'${value}'` : String(value);
}

/** The `name` of a device, or its repr when it has none. */
export function nameOf(value: unknown): string {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : repr(value);
}
