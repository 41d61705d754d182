// JSON as Python's json module writes and reads it: standard JSON plus the bare tokens NaN,
// Infinity and -Infinity for non-finite floats. JSON.stringify would turn those into null (a
// silent wrong value) and JSON.parse rejects them, so both directions need help here.
// What a JS number cannot carry stays lost: a whole float is written as an integer (1.0 as 1),
// and an integer beyond 2^53 is read rounded, as JSON.parse does.
import { EventModelValueError } from "./errors.ts";
import { sanitizeDoc } from "./sanitize.ts";

/**
 * Encodes `value` as one line of JSON, compatible with Python's `json.loads`: NaN, Infinity and
 * -Infinity are written as those bare tokens. Typed arrays, ndarray-likes, BigInt, Map and Set
 * are converted as `sanitizeDoc` does (it throws, naming the path, for what JSON cannot hold).
 * Plain JSON data takes the native JSON.stringify path.
 */
export function encodeJson(value: unknown): string {
  if (isPlainJson(value, 0)) return JSON.stringify(value);
  return encodeSanitized(sanitizeDoc(value));
}

/**
 * Parses JSON text that may contain Python's NaN, Infinity and -Infinity tokens (outside
 * strings). Throws EventModelValueError naming the column and what was expected.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Slow path: either Python's extra tokens, or an error worth describing precisely.
    return new TolerantParser(text).parseDocument();
  }
}

/** True when JSON.stringify would write `value` exactly (finite numbers, plain objects...). */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "number":
      return isPlainNumber(value);
    case "string":
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > 256) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "number") {
        if (!isPlainNumber(item)) return false;
      } else if (item === undefined || !isPlainJson(item, depth + 1)) {
        return false;
      }
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (item !== undefined && !isPlainJson(item, depth + 1)) return false;
  }
  return true;
}

/** A number JSON.stringify writes exactly: finite, and not -0 (which it writes as 0). */
function isPlainNumber(value: number): boolean {
  return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
}

/** Encodes a sanitized value (only JSON types, possibly non-finite numbers or -0). */
function encodeSanitized(value: unknown): string {
  if (typeof value === "number") {
    // Python writes negative zero as -0.0 and reads it back as such.
    if (Object.is(value, -0)) return "-0.0";
    if (Number.isFinite(value)) return String(value);
    return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  }
  // Plain parts (most columns of a page with one NaN) still take the native path.
  if (typeof value === "object" && isPlainJson(value, 0)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const parts = new Array<string>(value.length);
    for (let i = 0; i < value.length; i++) parts[i] = encodeSanitized(value[i]);
    return `[${parts.join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const parts: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      parts.push(`${JSON.stringify(key)}:${encodeSanitized(item)}`);
    }
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value);
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** A small recursive-descent JSON parser that also accepts NaN, Infinity and -Infinity. */
class TolerantParser {
  #pos = 0;
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  parseDocument(): unknown {
    const value = this.#value();
    this.#skipWhitespace();
    if (this.#pos < this.#text.length) this.#fail("the end of the text after the value");
    return value;
  }

  #value(): unknown {
    this.#skipWhitespace();
    const c = this.#text[this.#pos];
    switch (c) {
      case "{":
        return this.#object();
      case "[":
        return this.#array();
      case '"':
        return this.#string();
      case "t":
        return this.#literal("true", true);
      case "f":
        return this.#literal("false", false);
      case "n":
        return this.#literal("null", null);
      case "N":
        return this.#literal("NaN", Number.NaN);
      case "I":
        return this.#literal("Infinity", Number.POSITIVE_INFINITY);
      case "-":
        if (this.#text[this.#pos + 1] === "I") {
          return this.#literal("-Infinity", Number.NEGATIVE_INFINITY);
        }
        return this.#number();
      default:
        if (c !== undefined && c >= "0" && c <= "9") return this.#number();
        return this.#fail(
          "a value (object, array, string, number, true, false, null, NaN, Infinity)",
        );
    }
  }

  #object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.#pos++;
    this.#skipWhitespace();
    if (this.#text[this.#pos] === "}") {
      this.#pos++;
      return out;
    }
    for (;;) {
      this.#skipWhitespace();
      if (this.#text[this.#pos] !== '"') this.#fail("a string key");
      const key = this.#string();
      this.#skipWhitespace();
      if (this.#text[this.#pos] !== ":") this.#fail('":" after the key');
      this.#pos++;
      // defineProperty, so that a "__proto__" key stays an ordinary key as in JSON.parse.
      Object.defineProperty(out, key, {
        value: this.#value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.#skipWhitespace();
      const c = this.#text[this.#pos++];
      if (c === "}") return out;
      if (c !== ",") this.#fail('"," or "}" in the object', -1);
    }
  }

  #array(): unknown[] {
    const out: unknown[] = [];
    this.#pos++;
    this.#skipWhitespace();
    if (this.#text[this.#pos] === "]") {
      this.#pos++;
      return out;
    }
    for (;;) {
      out.push(this.#value());
      this.#skipWhitespace();
      const c = this.#text[this.#pos++];
      if (c === "]") return out;
      if (c !== ",") this.#fail('"," or "]" in the array', -1);
    }
  }

  #string(): string {
    const start = this.#pos;
    let i = start + 1;
    for (;;) {
      const c = this.#text.charCodeAt(i);
      if (Number.isNaN(c)) this.#fail("the closing quote of the string", i - this.#pos);
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else i++;
    }
    this.#pos = i + 1;
    try {
      // The native parser decodes escapes and rejects control characters exactly as JSON says.
      return JSON.parse(this.#text.slice(start, i + 1)) as string;
    } catch {
      this.#pos = start;
      return this.#fail("a valid string (escapes, no raw control characters)");
    }
  }

  #number(): number {
    NUMBER.lastIndex = this.#pos;
    const match = NUMBER.exec(this.#text);
    if (match === null) return this.#fail("a number");
    this.#pos += match[0].length;
    return Number(match[0]);
  }

  #literal<T>(word: string, value: T): T {
    if (!this.#text.startsWith(word, this.#pos)) this.#fail(JSON.stringify(word).slice(1, -1));
    this.#pos += word.length;
    return value;
  }

  #skipWhitespace(): void {
    WHITESPACE.lastIndex = this.#pos;
    WHITESPACE.exec(this.#text);
    this.#pos = WHITESPACE.lastIndex;
  }

  #fail(expected: string, offset = 0): never {
    const at = Math.max(0, this.#pos + offset);
    const found =
      at < this.#text.length ? JSON.stringify(this.#text.slice(at, at + 12)) : "the end";
    throw new EventModelValueError(
      `invalid JSON at column ${at + 1}: expected ${expected}, found ${found}`,
    );
  }
}
