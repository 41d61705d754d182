// Tiled's `select_metadata`: a JMESPath expression applied to each node's metadata, answered as
// `metadata: {selected: <result>}`. This server evaluates the subset that clients send: field
// paths (`start.sample.name`, `"odd key".x`), `@`, JSON literals (`false`) and 'raw strings'.
// As in JMESPath, a bare `false` is a field named "false", not the literal; the Python client's
// `select_metadata=false` (sent to skip metadata) therefore selects null.
import { HttpRequestError } from "../errors.ts";

type Step =
  | { kind: "field"; name: string }
  | { kind: "literal"; value: unknown }
  | { kind: "self" };

const SUPPORTED =
  "this server evaluates a JMESPath subset: identifiers joined by dots (start.plan_name, " +
  "\"quoted key\".x), @, JSON literals in backquotes (`false`) and 'raw strings'";

function unsupported(expression: string, why: string): HttpRequestError {
  return new HttpRequestError(
    400,
    `select_metadata ${JSON.stringify(expression)} cannot be evaluated (${why}); ${SUPPORTED}`,
  );
}

/** Reads a delimited token starting at `at` (the opening delimiter); returns its body and end. */
function delimited(text: string, at: number, close: string): { body: string; end: number } {
  let i = at + 1;
  let body = "";
  while (i < text.length && text[i] !== close) {
    if (text[i] === "\\" && i + 1 < text.length) {
      body += text[i]! + text[i + 1]!;
      i += 2;
    } else body += text[i++];
  }
  if (i >= text.length) throw new Error(`unterminated ${close}`);
  return { body, end: i + 1 };
}

function parseTerm(text: string, at: number, first: boolean): { step: Step; end: number } {
  const ch = text[at];
  const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at));
  if (ident) return { step: { kind: "field", name: ident[0] }, end: at + ident[0].length };
  if (ch === '"') {
    const { body, end } = delimited(text, at, '"');
    return { step: { kind: "field", name: JSON.parse(`"${body}"`) as string }, end };
  }
  if (!first) throw new Error(`expected an identifier after "." at position ${at}`);
  if (ch === "@") return { step: { kind: "self" }, end: at + 1 };
  if (ch === "`") {
    const { body, end } = delimited(text, at, "`");
    return { step: { kind: "literal", value: JSON.parse(body.replaceAll("\\`", "`")) }, end };
  }
  if (ch === "'") {
    const { body, end } = delimited(text, at, "'");
    return { step: { kind: "literal", value: body.replaceAll("\\'", "'") }, end };
  }
  throw new Error(`unexpected ${JSON.stringify(ch ?? "end of expression")} at position ${at}`);
}

function compile(expression: string): Step[] {
  const text = expression.trim();
  if (text === "") throw unsupported(expression, "it is empty");
  const steps: Step[] = [];
  let at = 0;
  try {
    for (;;) {
      while (text[at] === " ") at++;
      const { step, end } = parseTerm(text, at, steps.length === 0);
      steps.push(step);
      at = end;
      while (text[at] === " ") at++;
      if (at >= text.length) return steps;
      if (text[at] !== ".") throw new Error(`unexpected ${JSON.stringify(text[at])} at ${at}`);
      at++;
    }
  } catch (err) {
    if (err instanceof HttpRequestError) throw err;
    throw unsupported(expression, (err as Error).message);
  }
}

/** A compiled select_metadata expression: metadata in, the selected value out. */
export type MetadataSelector = (metadata: unknown) => unknown;

/** Compiles `expression`; throws HttpRequestError 400 naming it when it is outside the subset. */
export function metadataSelector(expression: string): MetadataSelector {
  const steps = compile(expression);
  return (metadata) => {
    let value: unknown = metadata;
    for (const step of steps) {
      if (step.kind === "literal") value = step.value;
      else if (step.kind === "field") {
        value =
          typeof value === "object" &&
          value !== null &&
          !Array.isArray(value) &&
          Object.hasOwn(value, step.name)
            ? (value as Record<string, unknown>)[step.name]
            : null;
      }
    }
    return value === undefined ? null : value;
  };
}
