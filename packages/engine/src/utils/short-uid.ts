import { randomUUID } from "node:crypto";

// Unique within the process and across processes for practical purposes: a random prefix drawn
// once, then a counter (a UUID per group name costs more than the message it labels).
const prefix = randomUUID().slice(0, 6);
let counter = 0;

/** A short unique label such as `trigger-1a2b3c-5` (Bluesky's short_uid), for groups and streams. */
export function shortUid(label = ""): string {
  const id = `${prefix}-${(counter++).toString(36)}`;
  return label ? `${label}-${id}` : id;
}
