// Checks and copies shared by Filler and StreamReader.
import {
  EventModelTypeError,
  EventModelValueError,
  InvalidData,
  MismatchedDataKeys,
  UnresolvableForeignKeyError,
} from "./errors.ts";
import type { Event, EventPage } from "./schemas/event.ts";
import type { EventDescriptor } from "./schemas/event-descriptor.ts";

export function checkIncludeExclude(options: {
  include?: readonly string[] | undefined;
  exclude?: readonly string[] | undefined;
}): void {
  if (options.include !== undefined && options.exclude !== undefined) {
    throw new EventModelValueError(
      `give include or exclude, not both (include ${JSON.stringify(options.include)}, exclude ${JSON.stringify(options.exclude)})`,
    );
  }
}

/** `handler`, checked to be a function: a factory returning anything else is a bug to name. */
export function checkedHandler<H>(handler: H, key: string): H {
  if (typeof handler !== "function") {
    throw new EventModelTypeError(
      `the handler factory for "${key}" returned ${typeof handler}; expected a function reading one datum`,
    );
  }
  return handler;
}

/** The datum_id at `container[key]`; MismatchedDataKeys when absent, InvalidData when not a string. */
export function datumIdOf(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  where: string,
): string {
  const value = (container as Record<string | number, unknown>)[key];
  if (value === undefined && !(key in container)) {
    throw new MismatchedDataKeys(
      `${where}: filled says data key "${key}" needs filling but data has no "${key}" (data keys: ${Object.keys(container).join(", ") || "none"})`,
    );
  }
  if (typeof value !== "string") {
    throw new InvalidData(
      `${where}: expected a datum_id string at ${typeof key === "number" ? `row ${key}` : `"${key}"`} because it is not filled, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A copy of the event's structure (data, timestamps, filled); the values inside are shared. */
export function copyEvent(event: Event): Event {
  const copy: Event = { ...event, data: { ...event.data }, timestamps: { ...event.timestamps } };
  if (event.filled !== undefined) copy.filled = { ...event.filled };
  return copy;
}

/** A copy of the page with every column copied; the values inside the columns are shared. */
export function copyPage(page: EventPage): EventPage {
  const columns = <T>(c: Record<string, T[]>) =>
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.slice()]));
  const copy: EventPage = {
    ...page,
    uid: page.uid.slice(),
    time: page.time.slice(),
    seq_num: page.seq_num.slice(),
    data: columns(page.data),
    timestamps: columns(page.timestamps),
  };
  if (page.filled !== undefined) copy.filled = columns(page.filled);
  return copy;
}

/** Applies rootMap to the path of a file:// URI, keeping its host; other URIs are returned as is. */
export function mapUri(uri: string, rootMap: Readonly<Record<string, string>>): string {
  const match = /^file:\/\/([^/]*)(\/.*)$/.exec(uri);
  if (match === null) return uri;
  const [, host, rawPath] = match as unknown as [string, string, string];
  const path = decodeURIComponent(rawPath);
  for (const [from, to] of Object.entries(rootMap)) {
    const prefix = from.replace(/\/+$/, "");
    if (path === prefix || path.startsWith(`${prefix}/`)) {
      return `file://${host}${encodeURI(to.replace(/\/+$/, "") + path.slice(prefix.length))}`;
    }
  }
  return uri;
}

/** Registry keys for messages: `"a", "b"` or `none`. */
export function listOf(keys: readonly string[]): string {
  return keys.length > 0 ? keys.map((k) => JSON.stringify(k)).join(", ") : "none";
}

/**
 * The data keys of an event or page still to fill: those whose `filled` entry is false in some
 * row, or, without `filled`, every external (non-STREAM) key of its descriptor.
 */
export function keysToFill(
  doc: Event | EventPage,
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
  descriptorOf: (uid: string) => EventDescriptor | undefined,
): string[] {
  let keys: string[];
  if (doc.filled !== undefined) {
    keys = [];
    for (const [key, value] of Object.entries(doc.filled)) {
      if (Array.isArray(value) ? value.some((v) => !v) : !value) keys.push(key);
    }
  } else {
    const descriptor = descriptorOf(doc.descriptor);
    if (descriptor === undefined) {
      throw new UnresolvableForeignKeyError(
        doc.descriptor,
        `descriptor ${doc.descriptor} has not been seen by this Filler; it is needed to find the external keys of a document without "filled"`,
      );
    }
    keys = Object.entries(descriptor.data_keys)
      .filter(([, dataKey]) => dataKey.external && dataKey.external !== "STREAM:")
      .map(([key]) => key);
  }
  if (include) keys = keys.filter((k) => include.includes(k));
  if (exclude) keys = keys.filter((k) => !exclude.includes(k));
  return keys;
}
