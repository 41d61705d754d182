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
  const whole = Math.floor(seconds);
  const year = Number(y);
  const month = Number(mo ?? 1);
  const day = Number(d ?? 1);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  // Date would roll 2024-02-30 over to March 1st; refuse it as Python's strptime does.
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leapFebruary = month === 2 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
  const problem =
    year < 1
      ? "year 0 does not exist"
      : month < 1 || month > 12
        ? `month ${mo} is not 01 to 12`
        : day < 1 || day > (leapFebruary ? 28 : daysInMonth)
          ? `day ${d} is not in ${y}-${mo}`
          : hour > 23
            ? `hour ${h} is not 00 to 23`
            : minute > 59
              ? `minute ${mi} is not 00 to 59`
              : whole > 59
                ? `second ${s} is not 00 to 59`
                : null;
  if (problem) {
    throw new InvalidQueryError(
      `time bound ${JSON.stringify(value)} is not a valid date and time: ${problem}`,
    );
  }
  // set*FullYear, not the Date constructor, which reads years 0-99 as 1900-1999.
  const date = new Date(0);
  if (timezone === "UTC") {
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, whole, 0);
  } else {
    date.setFullYear(year, month - 1, day);
    date.setHours(hour, minute, whole, 0);
  }
  const ms = date.getTime();
  if (Number.isNaN(ms)) {
    throw new InvalidQueryError(`time bound ${JSON.stringify(value)} is not a valid date and time`);
  }
  return ms / 1000 + (seconds - whole);
}
