// The stored form of an event page: a small JSON header, then one section per column. Columns
// holding only numbers are raw little-endian float64 (so a 1,000,000-row read is a memory copy per
// page); any other column is a msgpack list. One column can be decoded without the others.
import { endianness } from "node:os";
import type { EventPage } from "@cerulean/event-model";
import { decode, encode } from "@msgpack/msgpack";
import { CorruptDataError } from "../errors.ts";

/** Which part of the page a column comes from. */
export type PagePart = "uid" | "time" | "seq_num" | "data" | "timestamps" | "filled";

/** How a column is stored: float64, msgpack, or 16 bytes per canonical lower-case UUID. */
type Encoding = "f64" | "mp" | "uuid";

/** [part, key ("" for uid/time/seq_num), encoding, byte offset, byte length] */
type ColumnEntry = [PagePart, string, Encoding, number, number];

interface PageHeader {
  /** Rows. */
  n: number;
  /** False when the original events carried no `filled` at all (replayed without it). */
  filled: boolean;
  columns: ColumnEntry[];
}

if (endianness() !== "LE") {
  // The float64 sections are written in host order; refuse rather than store unreadable bytes.
  throw new Error(
    "@cerulean/broker stores float64 columns little-endian and needs a little-endian host",
  );
}

const ALIGN = 8;
const pad = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1);

function allNumbers(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== "number") return false;
  return true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// Event uids are most of a page's bytes as text; as 16 raw bytes they cost less than half.
function encodeUuids(values: readonly unknown[]): Uint8Array | null {
  const out = Buffer.alloc(values.length * 16);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "string" || !UUID.test(v)) return null;
    out.write(v.replaceAll("-", ""), i * 16, "hex");
  }
  return out;
}

function decodeUuids(bytes: Uint8Array, n: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    let s = "";
    for (let j = 0; j < 16; j++) {
      if (j === 4 || j === 6 || j === 8 || j === 10) s += "-";
      s += HEX[bytes[i * 16 + j]!];
    }
    out[i] = s;
  }
  return out;
}

function encodeColumn(
  values: readonly unknown[],
  part: PagePart,
): { enc: Encoding; bytes: Uint8Array } {
  if (allNumbers(values)) {
    const array = Float64Array.from(values as number[]);
    return { enc: "f64", bytes: new Uint8Array(array.buffer) };
  }
  const uuids = part === "uid" ? encodeUuids(values) : null;
  if (uuids) return { enc: "uuid", bytes: uuids };
  return { enc: "mp", bytes: encode(values) };
}

/**
 * Encodes an event page. `hasFilled` false records that the events had no `filled` member, so
 * replay can return them exactly as received.
 */
export function encodePage(page: EventPage, hasFilled = true): Uint8Array {
  const sections: { part: PagePart; key: string; enc: Encoding; bytes: Uint8Array }[] = [];
  const add = (part: PagePart, key: string, values: readonly unknown[]) => {
    sections.push({ part, key, ...encodeColumn(values, part) });
  };
  add("uid", "", page.uid);
  add("time", "", page.time);
  add("seq_num", "", page.seq_num);
  for (const [key, values] of Object.entries(page.data)) add("data", key, values);
  for (const [key, values] of Object.entries(page.timestamps)) add("timestamps", key, values);
  for (const [key, values] of Object.entries(page.filled ?? {})) add("filled", key, values);
  const columns: ColumnEntry[] = [];
  let offset = 0;
  for (const s of sections) {
    columns.push([s.part, s.key, s.enc, offset, s.bytes.byteLength]);
    offset = pad(offset + s.bytes.byteLength);
  }
  const header: PageHeader = { n: page.uid.length, filled: hasFilled, columns };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const bodyStart = pad(4 + headerBytes.byteLength);
  const out = new Uint8Array(bodyStart + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.byteLength, true);
  out.set(headerBytes, 4);
  for (let i = 0; i < sections.length; i++) out.set(sections[i]!.bytes, bodyStart + columns[i]![3]);
  return out;
}

/** Reads columns out of a stored page without decoding the others. */
export class PageReader {
  readonly rows: number;
  readonly #bytes: Uint8Array;
  readonly #bodyStart: number;
  readonly #header: PageHeader;
  readonly #index = new Map<string, ColumnEntry>();

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    try {
      const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(
        0,
        true,
      );
      this.#header = JSON.parse(
        Buffer.from(bytes.buffer, bytes.byteOffset + 4, length).toString("utf8"),
      );
      this.#bodyStart = pad(4 + length);
    } catch (err) {
      throw new CorruptDataError(
        `stored event page is not in the broker's page format: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    this.rows = this.#header.n;
    for (const entry of this.#header.columns) this.#index.set(`${entry[0]}/${entry[1]}`, entry);
  }

  /** The keys of one part (data keys, timestamp keys...), in stored order. */
  keys(part: "data" | "timestamps" | "filled"): string[] {
    return this.#header.columns.filter((c) => c[0] === part).map((c) => c[1]);
  }

  has(part: PagePart, key = ""): boolean {
    return this.#index.has(`${part}/${key}`);
  }

  /** True when the column is stored as float64 (every value a number). */
  isNumeric(part: PagePart, key = ""): boolean {
    return this.#entry(part, key)[2] === "f64";
  }

  /** Copies rows [from, to) of a float64 column into `target` at `at`. */
  copyNumeric(
    part: PagePart,
    key: string,
    target: Float64Array,
    at: number,
    from = 0,
    to = this.rows,
  ): void {
    const [, , enc, offset] = this.#entry(part, key);
    if (enc !== "f64")
      throw new CorruptDataError(`column ${part}/${key} of a stored page is not numeric`);
    const start = this.#bytes.byteOffset + this.#bodyStart + offset + from * 8;
    const src = new Uint8Array(this.#bytes.buffer, start, (to - from) * 8);
    new Uint8Array(target.buffer, target.byteOffset + at * 8, (to - from) * 8).set(src);
  }

  /** The column as a plain array (numbers for float64 columns). */
  column(part: PagePart, key = ""): unknown[] {
    const [, , enc, offset, length] = this.#entry(part, key);
    if (enc === "f64") {
      const values = new Float64Array(this.rows);
      this.copyNumeric(part, key, values, 0);
      return Array.from(values);
    }
    const bytes = new Uint8Array(
      this.#bytes.buffer,
      this.#bytes.byteOffset + this.#bodyStart + offset,
      length,
    );
    if (enc === "uuid") return decodeUuids(bytes, this.rows);
    return decode(bytes) as unknown[];
  }

  /** The whole page as an event page, plus whether the original events had `filled`. */
  toEventPage(descriptor: string): { page: EventPage; hasFilled: boolean } {
    const part = (p: "data" | "timestamps" | "filled") =>
      Object.fromEntries(this.keys(p).map((k) => [k, this.column(p, k)]));
    const page: EventPage = {
      uid: this.column("uid") as string[],
      time: this.column("time") as number[],
      seq_num: this.column("seq_num") as number[],
      data: part("data"),
      timestamps: part("timestamps"),
      filled: part("filled") as Record<string, (boolean | string)[]>,
      descriptor,
    };
    return { page, hasFilled: this.#header.filled };
  }

  #entry(part: PagePart, key: string): ColumnEntry {
    const entry = this.#index.get(`${part}/${key}`);
    if (!entry) throw new CorruptDataError(`stored page has no column ${part}/${key}`);
    return entry;
  }
}
