import type { DataKey, EventDescriptor, RunStart } from "@cerulean/event-model";

/** What NXdata plots by default: data keys of one stream ("time" is the event time column). */
export interface DefaultPlot {
  signal: string;
  auxiliarySignals: string[];
  /** The axis field of each signal dimension, "." where none (image rows and columns). */
  axes: string[];
  /** Every axis field; each gets `<field>_indices = 0` (they all run along the events). */
  axisFields: string[];
}

/**
 * Chooses the default plot of a stream the way BestEffortCallback does: axes from the start's
 * `hints.dimensions` for this stream (else its `motors`, else time), the signal and auxiliary
 * signals from the descriptor's hinted fields (else its numeric scalar keys). Null when the
 * stream has nothing to plot.
 */
export function chooseDefaultPlot(
  start: RunStart,
  descriptor: EventDescriptor,
): DefaultPlot | null {
  const stream = descriptor.name ?? "primary";
  const keys = descriptor.data_keys;
  let axisFields = dimensionFields(start, stream).filter((f) => f === "time" || f in keys);
  if (axisFields.length === 0) axisFields = ["time"];
  const isAxis = (k: string) => axisFields.includes(k);
  const hinted = Object.values(descriptor.hints ?? {})
    .flatMap((hint) => (Array.isArray(hint?.fields) ? hint.fields : []))
    .filter((f): f is string => typeof f === "string" && f in keys && !isAxis(f));
  const numericScalars = Object.keys(keys).filter((k) => {
    const key = keys[k] as DataKey;
    return (
      !isAxis(k) &&
      (key.dtype === "number" || key.dtype === "integer") &&
      (key.shape ?? []).length === 0
    );
  });
  const candidates = unique(hinted.length > 0 ? hinted : numericScalars);
  const signal = candidates[0];
  if (signal === undefined) return null;
  const rank = ((keys[signal] as DataKey).shape ?? []).length;
  const sameRank = (k: string) => ((keys[k] as DataKey).shape ?? []).length === rank;
  return {
    signal,
    auxiliarySignals: candidates.slice(1).filter(sameRank),
    axes: [axisFields[0] as string, ...new Array<string>(rank).fill(".")],
    axisFields,
  };
}

function dimensionFields(start: RunStart, stream: string): string[] {
  const dimensions = start.hints?.dimensions;
  if (Array.isArray(dimensions) && dimensions.length > 0) {
    const fields: string[] = [];
    for (const dimension of dimensions) {
      const [names, dimStream] = dimension as [unknown, unknown];
      if (dimStream !== stream) continue;
      const list = Array.isArray(names) ? names : [names];
      for (const name of list) if (typeof name === "string") fields.push(name);
    }
    return fields;
  }
  const motors = start["motors"];
  if (Array.isArray(motors)) return motors.filter((m): m is string => typeof m === "string");
  return [];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
