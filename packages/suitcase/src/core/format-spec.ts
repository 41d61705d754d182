// Python's format-spec mini-language for numbers, as `"{scan_id:05d}".format(...)` applies it,
// so a template copied from a Python suitcase names the same files here.

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([dfFeE%])?$/s;

/**
 * Formats `value` with a Python format spec (`05d`, `+.2f`, `>6`, `06.2f`, `.3e`, `,d`, `.1%`),
 * or returns undefined when the spec is not one of those. As in Python the sign counts in the
 * width and zero padding goes between sign and digits (`-3` with `05d` is `-0003`); `d` given a
 * float truncates it (Python refuses), so epoch-like values still make a name.
 */
export function formatNumber(value: number, spec: string): string | undefined {
  const m = SPEC.exec(spec);
  if (!m) return undefined;
  const [, fillChar, alignChar, sign = "-", , zero, widthText, grouping, precisionText, type] = m;
  const precision = precisionText === undefined ? undefined : Number(precisionText);
  if (precision !== undefined && type === "d") return undefined;
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let digits: string;
  if (!Number.isFinite(magnitude)) {
    digits = Number.isNaN(magnitude) ? "nan" : "inf";
    if (type === "F" || type === "E") digits = digits.toUpperCase();
  } else if (type === "d") digits = String(Math.trunc(magnitude));
  else if (type === "f" || type === "F") digits = magnitude.toFixed(precision ?? 6);
  else if (type === "%") digits = `${(magnitude * 100).toFixed(precision ?? 6)}%`;
  else if (type === "e" || type === "E") {
    // JavaScript writes e+5, Python at least two exponent digits: e+05.
    digits = magnitude
      .toExponential(precision ?? 6)
      .replace(/e([+-])(\d)$/, "e$10$2")
      .replace("e", type);
  } else if (precision !== undefined) return undefined;
  else digits = String(magnitude);
  if (grouping) {
    const [whole = "", rest = ""] = digits.split(/(?=[.%e])/);
    if (/^\d+$/.test(whole)) digits = whole.replace(/\B(?=(\d{3})+$)/g, grouping) + rest;
  }
  const signText =
    negative && !Number.isNaN(value) ? "-" : sign === "+" ? "+" : sign === " " ? " " : "";
  const width = widthText === undefined ? 0 : Number(widthText);
  const align = alignChar ?? (zero ? "=" : ">");
  const fill = fillChar ?? (zero ? "0" : " ");
  const padding = Math.max(0, width - signText.length - digits.length);
  switch (align) {
    case "=":
      return signText + fill.repeat(padding) + digits;
    case "<":
      return signText + digits + fill.repeat(padding);
    case "^": {
      const left = Math.floor(padding / 2);
      return fill.repeat(left) + signText + digits + fill.repeat(padding - left);
    }
    default:
      return fill.repeat(padding) + signText + digits;
  }
}
