// Data whose keys differ from what its device described: the composers refuse it (as Bluesky's
// compose_event does); these helpers name the device and the keys in the error the plan gets.
import { EventModelValidationError } from "@cerulean/event-model";
import { DataKeysMismatch } from "../errors.ts";

/** One device's part of an event or page: the keys it described and the keys it gave. */
export interface DeviceKeys {
  device: string;
  described: Iterable<string>;
  got: Iterable<string>;
}

/** The mismatch of `got` against `described` (keys in `ignore` aside), or undefined when equal. */
export function keysMismatch(
  keys: DeviceKeys,
  stream: string,
  what: string,
  ignore: readonly string[] = [],
  cause?: unknown,
): DataKeysMismatch | undefined {
  const skip = new Set(ignore);
  const expected = new Set([...keys.described].filter((k) => !skip.has(k)));
  const got = new Set([...keys.got].filter((k) => !skip.has(k)));
  const missing = [...expected].filter((k) => !got.has(k));
  const unexpected = [...got].filter((k) => !expected.has(k));
  if (missing.length === 0 && unexpected.length === 0) return undefined;
  return new DataKeysMismatch(keys.device, stream, missing, unexpected, what, cause);
}

/**
 * What to throw for `err`, raised while composing an event or page of `stream`: when it is the
 * composer's key check, a DataKeysMismatch naming the first device whose keys differ; else `err`.
 */
export function explainKeyError(
  err: unknown,
  stream: string,
  devices: readonly DeviceKeys[],
  what: string,
  ignore: readonly string[] = [],
): unknown {
  if (!(err instanceof EventModelValidationError)) return err;
  for (const keys of devices) {
    const mismatch = keysMismatch(keys, stream, what, ignore, err);
    if (mismatch !== undefined) return mismatch;
  }
  return err;
}
