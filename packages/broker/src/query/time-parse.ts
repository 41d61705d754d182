import { InvalidQueryError } from "../errors.ts";
import type { TimeZone } from "./queries.ts";

// databroker's since/until formats, most specific first: "%Y-%m-%d %H:%M:%S" down to "%Y".
const PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[ T](\d{2})(?::(\d{2})(?::(\d{2}(?:\.\d+)?))?)?)?)?)?$/;

/**
 * Converts a time bound to epoch seconds: numbers pass through; strings in databroker's formats
 * ("2024", "2024-05", "2024-05-01", "2024-05-01 13", "2024-05-01 13:30", "2024-05-01 13:30:05")
 * are read in the given zone (the machine's local zone by default).
 */
export function toEpochSeconds(value: number | string, timezone: TimeZone = "local"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new InvalidQueryError(`time bound ${value} is not a finite number of epoch seconds`);
    }
    return value;
  }
  const match = PATTERN.exec(value.trim());
  if (!match) {
    throw new InvalidQueryError(
      `time bound ${JSON.stringify(value)} is not epoch seconds nor one of the formats YYYY, YYYY-MM, YYYY-MM-DD, "YYYY-MM-DD HH", "YYYY-MM-DD HH:MM", "YYYY-MM-DD HH:MM:SS"`,
    );
  }
  const [, y, mo, d, h, mi, s] = match;
  const seconds = Number(s ?? 0);
  const parts = [
    Number(y),
    Number(mo ?? 1) - 1,
    Number(d ?? 1),
    Number(h ?? 0),
    Number(mi ?? 0),
  ] as const;
  const whole = Math.floor(seconds);
  const ms =
    timezone === "UTC"
      ? Date.UTC(parts[0], parts[1], parts[2], parts[3], parts[4], whole)
      : new Date(parts[0], parts[1], parts[2], parts[3], parts[4], whole).getTime();
  if (
    Number.isNaN(ms) ||
    parts[1] > 11 ||
    parts[2] > 31 ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    whole > 60
  ) {
    throw new InvalidQueryError(`time bound ${JSON.stringify(value)} is not a valid date and time`);
  }
  return ms / 1000 + (seconds - whole);
}
