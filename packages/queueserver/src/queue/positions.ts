// Position rules of the queue (bluesky-queueserver's plan_queue_ops), as pure functions over
// the queue length, so they are testable without a server.
import { RequestFailedError } from "../errors.ts";

/** A `pos` parameter: "front", "back" or an index (negative counts from the back). */
export type Position = "front" | "back" | number;

/** Checks a `pos` parameter from a request. */
export function parsePosition(value: unknown, name = "pos"): Position {
  if (value === "front" || value === "back") return value;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw new RequestFailedError(
    `Parameter '${name}' has incorrect value: ${JSON.stringify(value)}; expected 'front', 'back' or an integer`,
  );
}

/** Where an added item goes in a queue of `size`, so it ends at index `pos` when possible. */
export function insertIndex(pos: Position | undefined, size: number): number {
  if (pos === undefined || pos === "back") return size;
  if (pos === "front") return 0;
  if (pos === 0 || pos < -size) return 0;
  if (pos === -1 || pos >= size) return size;
  return pos > 0 ? pos : size + pos + 1;
}

/** The index of an existing element for get/remove/move sources (default the back). */
export function elementIndex(pos: Position | undefined, size: number): number {
  if (size === 0) throw new RequestFailedError("Queue is empty");
  if (pos === undefined || pos === "back") return size - 1;
  if (pos === "front") return 0;
  const index = pos < 0 ? size + pos : pos;
  if (index < 0 || index >= size) {
    throw new RequestFailedError(`Index ${pos} is out of range (queue size ${size})`);
  }
  return index;
}

/** The index a moved item ends at in a queue of `size` (the item counted in). */
export function destinationIndex(pos: Position, size: number): number {
  if (pos === "front") return 0;
  if (pos === "back") return size - 1;
  const index = pos < 0 ? size + pos : pos;
  return Math.min(Math.max(index, 0), size - 1);
}
