import { deepStrictEqual, ok } from "node:assert/strict";
import type { DataKey } from "@cerulean/event-model";
import type { Configurable, Readable } from "../protocols/readable.ts";
import type { Reading } from "../protocols/reading.ts";

/** What a reading is expected to hold; the timestamp is only checked to be a number. */
export type ExpectedReadings = Record<string, Partial<Omit<Reading, "timestamp">>>;

/** Options of the reading assertions. */
export interface AssertReadingOptions {
  /** Numbers (and numbers inside arrays) may differ by this much (default 0). */
  tolerance?: number;
}

function approximately(actual: unknown, expected: unknown, tolerance: number): unknown {
  if (typeof actual === "number" && typeof expected === "number") {
    return Math.abs(actual - expected) <= tolerance ? expected : actual;
  }
  if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    return actual.map((a, i) => approximately(a, expected[i], tolerance));
  }
  return actual;
}

function compare(
  what: string,
  readings: Record<string, Reading>,
  expected: ExpectedReadings,
  options: AssertReadingOptions,
): void {
  deepStrictEqual(
    Object.keys(readings).sort(),
    Object.keys(expected).sort(),
    `${what}: keys differ`,
  );
  for (const [key, want] of Object.entries(expected)) {
    const got = readings[key];
    ok(got, `${what}: no reading ${key}`);
    ok(typeof got.timestamp === "number", `${what}: ${key} has no numeric timestamp`);
    const picked: Record<string, unknown> = {};
    for (const field of Object.keys(want)) picked[field] = got[field as keyof Reading];
    if (options.tolerance)
      picked["value"] = approximately(got.value, want.value, options.tolerance);
    deepStrictEqual(picked, want, `${what}: ${key} differs`);
  }
}

/** Asserts `read()` returns exactly these keys with these values (ophyd-async's assert_reading). */
export async function assertReading(
  device: Readable,
  expected: ExpectedReadings,
  options: AssertReadingOptions = {},
): Promise<void> {
  compare(`${device.name}.read()`, await device.read(), expected, options);
}

/** Asserts `readConfiguration()` returns exactly these keys with these values. */
export async function assertConfiguration(
  device: Configurable,
  expected: ExpectedReadings,
  options: AssertReadingOptions = {},
): Promise<void> {
  compare(
    `${device.name}.readConfiguration()`,
    await device.readConfiguration(),
    expected,
    options,
  );
}

function checkKeyMatches(what: string, key: string, dataKey: DataKey, value: unknown): void {
  const shape: number[] = [];
  let inner: unknown = value;
  while (Array.isArray(inner)) {
    shape.push(inner.length);
    inner = inner[0];
  }
  deepStrictEqual(
    dataKey.shape,
    shape,
    `${what}: ${key} shape ${JSON.stringify(dataKey.shape)} but the value has ${JSON.stringify(shape)}`,
  );
  const dtype =
    shape.length > 0
      ? "array"
      : typeof value === "boolean"
        ? "boolean"
        : typeof value === "string"
          ? "string"
          : "number";
  const allowed = dtype === "number" ? ["number", "integer"] : [dtype];
  ok(
    allowed.includes(dataKey.dtype),
    `${what}: ${key} dtype ${dataKey.dtype} but the value is ${dtype}`,
  );
}

/**
 * Asserts `describe()` and `read()` agree key for key, each DataKey's dtype and shape fitting
 * its value; keys with `external` data (in files or streams) are only in `describe()`.
 */
export async function assertDescribeMatchesRead(device: Readable): Promise<void> {
  const [readings, dataKeys] = await Promise.all([device.read(), device.describe()]);
  const inEvents = Object.keys(dataKeys).filter((k) => {
    const external = dataKeys[k]?.external;
    return external === undefined || external.startsWith("FILESTORE");
  });
  deepStrictEqual(
    Object.keys(readings).sort(),
    inEvents.sort(),
    `${device.name}: read() and describe() keys differ`,
  );
  for (const key of inEvents) {
    const dataKey = dataKeys[key];
    const reading = readings[key];
    ok(dataKey && reading);
    if (dataKey.external) continue;
    checkKeyMatches(device.name, key, dataKey, reading.value);
  }
}
