import type { EventDescriptor, RunStart } from "@cerulean/event-model";

/**
 * The fields a descriptor hints as interesting: for each object in `object_keys`, its
 * `hints[obj].fields`, or all its keys when it gives no hint (as Bluesky's hinted_fields).
 */
export function hintedFields(descriptor: EventDescriptor): string[] {
  const objectKeys = (descriptor.object_keys ?? {}) as Record<string, unknown>;
  const hints = (descriptor.hints ?? {}) as Record<string, { fields?: unknown } | undefined>;
  const columns: string[] = [];
  for (const [object, keys] of Object.entries(objectKeys)) {
    const hinted = hints[object]?.fields;
    const fields = Array.isArray(hinted) ? hinted : Array.isArray(keys) ? keys : [];
    for (const field of fields) if (typeof field === "string") columns.push(field);
  }
  return columns;
}

/** One independent axis of a scan: its fields (first one plotted) and its stream. */
export interface Dimension {
  fields: string[];
  stream: string;
}

/**
 * The dimensions of a run from `start.hints.dimensions`, or a guess from `start.motors` (one per
 * motor, in "primary"), or time. `guessed` is true when object names may need mapping to fields.
 */
export function runDimensions(start: RunStart): {
  dimensions: Dimension[];
  guessed: boolean;
  mixed: boolean;
} {
  const motors = start["motors"];
  const guess: Dimension[] = Array.isArray(motors)
    ? motors
        .filter((m): m is string => typeof m === "string")
        .map((m) => ({ fields: [m], stream: "primary" }))
    : [{ fields: ["time"], stream: "primary" }];
  const hinted = parseDimensions(start.hints?.dimensions);
  if (hinted === null || hinted.length === 0)
    return {
      dimensions: guess.length ? guess : [{ fields: ["time"], stream: "primary" }],
      guessed: true,
      mixed: false,
    };
  if (new Set(hinted.map((d) => d.stream)).size !== 1) {
    return {
      dimensions: guess.length ? guess : [{ fields: ["time"], stream: "primary" }],
      guessed: true,
      mixed: true,
    };
  }
  return { dimensions: hinted, guessed: false, mixed: false };
}

function parseDimensions(value: unknown): Dimension[] | null {
  if (!Array.isArray(value)) return null;
  const out: Dimension[] = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || entry.length !== 2) return null;
    const [fields, stream] = entry as unknown[];
    if (!Array.isArray(fields) || typeof stream !== "string") return null;
    out.push({ fields: fields.filter((f): f is string => typeof f === "string"), stream });
  }
  return out;
}
