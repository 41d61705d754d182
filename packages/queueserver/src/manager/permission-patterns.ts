// The name patterns of user_group_permissions.yaml, compiled once. A plain string matches the
// name exactly; ":regex" is a Python regular expression searched in the name. Device patterns
// chain components with ":", one per level of the dotted name ("det:val" levels): "+" (the
// default) includes the matches of a component, "-" only searches below them, "?" matches the
// rest of the dotted name as one regex, and a last ":depth=N" bounds the levels.
import { RequestFailedError } from "../errors.ts";

/** Tells whether a name matches; throws RequestFailedError for a pattern that cannot compile. */
export type NameMatcher = (name: string) => boolean;

interface Component {
  mode: "+" | "-" | "?";
  re: RegExp;
}

/** Compiles a Python regex: inline flags at the start and named groups have JS spellings. */
export function pythonRegExp(source: string): RegExp {
  let body = source;
  let flags = "";
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    for (const flag of inline[1] ?? "") {
      if (flag === "x") throw new SyntaxError("the verbose flag (?x) is not supported");
      if ("ims".includes(flag) && !flags.includes(flag)) flags += flag;
    }
  }
  body = body.replace(/\(\?P<(\w+)>/g, "(?<$1>").replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
  return new RegExp(body, flags);
}

function compile(source: string, pattern: string): RegExp {
  try {
    return pythonRegExp(source);
  } catch (err) {
    throw new RequestFailedError(
      `Invalid pattern '${pattern}' in user group permissions: ${(err as Error).message}`,
    );
  }
}

/** Patterns are few and matched against every name on each check: each compiles once. */
function memoized(make: (pattern: string) => NameMatcher): (pattern: string) => NameMatcher {
  const cache = new Map<string, NameMatcher>();
  return (pattern) => {
    let matcher = cache.get(pattern);
    if (!matcher) {
      matcher = make(pattern);
      cache.set(pattern, matcher);
    }
    return matcher;
  };
}

/** Compiles a plan or function pattern. */
export const nameMatcher = memoized((pattern) => {
  if (!pattern.startsWith(":")) return (name) => name === pattern;
  const re = compile(pattern.slice(1), pattern);
  return (name) => re.test(name);
});

/** Compiles a device pattern (components per level of the dotted device name). */
export const deviceMatcher = memoized((pattern) => {
  if (!pattern.startsWith(":")) return (name) => name === pattern;
  const parts = pattern.slice(1).split(":");
  let depth = Number.POSITIVE_INFINITY;
  const last = /^depth=(\d+)$/.exec(parts.at(-1) ?? "");
  if (last) {
    depth = Number(last[1]);
    parts.pop();
  }
  const components: Component[] = parts.map((part) => {
    const mode = part[0] === "-" || part[0] === "?" || part[0] === "+" ? part[0] : "+";
    return { mode, re: compile(mode === part[0] ? part.slice(1) : part, pattern) };
  });
  return (name) => {
    const levels = name.split(".");
    if (levels.length > depth) return false;
    for (let i = 0; i < components.length; i++) {
      const component = components[i] as Component;
      if (component.mode === "?") return component.re.test(levels.slice(i).join("."));
      const level = levels[i];
      if (level === undefined || !component.re.test(level)) return false;
      if (i === levels.length - 1) return component.mode === "+";
    }
    return false;
  };
});
