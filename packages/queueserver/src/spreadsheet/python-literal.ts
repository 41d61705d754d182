// Python literals as spreadsheet cells hold them ('det1', [1, 2], True, None, {'a': 1}),
// parsed as data: the same values upstream reads, without ever evaluating anything.
import { SpreadsheetError } from "../errors.ts";

class Parser {
  #i = 0;
  constructor(readonly text: string) {}

  fail(expected: string): never {
    throw new SpreadsheetError(
      `Cannot read ${JSON.stringify(this.text)} as a Python literal: expected ${expected} at position ${this.#i}`,
    );
  }

  #ws(): void {
    while (/\s/.test(this.text[this.#i] ?? "")) this.#i++;
  }

  peek(): string {
    this.#ws();
    return this.text[this.#i] ?? "";
  }

  eat(c: string): boolean {
    if (this.peek() !== c) return false;
    this.#i++;
    return true;
  }

  atEnd(): boolean {
    return this.peek() === "";
  }

  /** Comma-separated values up to `close` (a trailing comma allowed). */
  items(close: string): unknown[] {
    const out: unknown[] = [];
    while (!this.eat(close)) {
      out.push(this.value());
      if (!this.eat(",")) {
        if (!this.eat(close)) this.fail(`',' or '${close}'`);
        break;
      }
    }
    return out;
  }

  value(): unknown {
    const c = this.peek();
    if (c === "[" || c === "(" || c === "{") {
      this.#i++;
      return c === "{" ? this.#dict() : this.items(c === "[" ? "]" : ")");
    }
    if (c === "'" || c === '"') return this.#string(c);
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.#i))?.[0];
    if (word !== undefined) {
      this.#i += word.length;
      const known: Record<string, unknown> = { True: true, False: false, None: null };
      if (word in known) return known[word];
      this.fail("a value (names are not evaluated)");
    }
    const num = /^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|nan)/i.exec(
      this.text.slice(this.#i),
    )?.[0];
    if (num === undefined) this.fail("a value");
    this.#i += num.length;
    return Number(num.replace(/inf/i, "Infinity").replace(/nan/i, "NaN"));
  }

  #dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (!this.eat("}")) {
      const key = this.value();
      if (typeof key !== "string" && typeof key !== "number") this.fail("a string or number key");
      if (!this.eat(":")) this.fail("':'");
      out[String(key)] = this.value();
      if (!this.eat(",")) {
        if (!this.eat("}")) this.fail("',' or '}'");
        break;
      }
    }
    return out;
  }

  #string(quote: string): string {
    this.#i++;
    let out = "";
    for (;;) {
      const c = this.text[this.#i++];
      if (c === undefined) this.fail(`a closing ${quote}`);
      if (c === quote) return out;
      if (c === "\\") {
        const e = this.text[this.#i++] ?? "";
        out +=
          ({ n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' } as Record<string, string>)[
            e
          ] ?? `\\${e}`;
      } else out += c;
    }
  }
}

/** One Python literal. */
export function parsePythonLiteral(text: string): unknown {
  const p = new Parser(text);
  const value = p.value();
  if (!p.atEnd()) p.fail("the end");
  return value;
}

/** A comma-separated sequence of literals, as a call's positional arguments (`a, [b], 3`). */
export function parsePythonArgs(text: string): unknown[] {
  const p = new Parser(text);
  const out: unknown[] = [];
  while (!p.atEnd()) {
    out.push(p.value());
    if (!p.eat(",") && !p.atEnd()) p.fail("','");
  }
  return out;
}
