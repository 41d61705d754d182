// Python's number-to-text conventions, so tables read exactly as Bluesky's do ("%.3f" rounding
// half to even on the exact binary value, repr of floats, True/False/None).

const view = new DataView(new ArrayBuffer(8));

/** |x| as mantissa * 2^exponent, exactly. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, Math.abs(x));
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased === 0) return { mantissa, exponent: -1074 };
  mantissa |= 1n << 52n;
  return { mantissa, exponent: biased - 1075 };
}

/** Exact "%.{precision}f" of |x| by integer arithmetic, rounding half to even. */
function exactFixed(x: number, precision: number): string {
  const { mantissa, exponent } = decompose(x);
  const scaled = mantissa * 10n ** BigInt(precision);
  let digits: bigint;
  if (exponent >= 0) {
    digits = scaled << BigInt(exponent);
  } else {
    const denominator = 1n << BigInt(-exponent);
    digits = scaled / denominator;
    const twice = 2n * (scaled - digits * denominator);
    if (twice > denominator || (twice === denominator && digits % 2n === 1n)) digits += 1n;
  }
  const text = digits.toString().padStart(precision + 1, "0");
  return precision === 0
    ? text
    : `${text.slice(0, text.length - precision)}.${text.slice(text.length - precision)}`;
}

/**
 * Python's `"%.{precision}f" % x`: nan, inf and -inf spelled as Python does, "-0.000" for negative
 * zero, exact half-to-even rounding, all digits for huge numbers.
 */
export function formatFixed(x: number, precision: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const magnitude = Math.abs(x);
  const scaled = magnitude * 10 ** precision;
  const fraction = scaled - Math.floor(scaled);
  // toFixed is correctly rounded except on exact ties (it rounds them up) and above 1e21.
  if (magnitude < 1e21 && precision <= 20 && Math.abs(fraction - 0.5) > 1e-6) {
    return sign + magnitude.toFixed(precision);
  }
  return sign + exactFixed(magnitude, precision);
}

/** Python's repr of a float: shortest round-trip digits, ".0" on integers, e-notation outside 1e-4..1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "0", exponentText = "0"] = x.toExponential().split("e");
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent).toString().padStart(2, "0");
    return `${sign}${body}e${exponent < 0 ? "-" : "+"}${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${integer}.${fraction || "0"}`;
}

/**
 * How Python's `str()` shows a reading: floats by repr (or as integers when the data key says
 * integer), True/False, None, lists in brackets.
 */
export function pythonStr(value: unknown, integer = false): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    return integer && Number.isInteger(value) ? String(value) : pythonFloatRepr(value);
  }
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map((v) => pythonRepr(v, integer)).join(", ")}]`;
  return JSON.stringify(value) ?? String(value);
}

/** Python's `repr()`: like str, with strings quoted. */
export function pythonRepr(value: unknown, integer = false): string {
  return typeof value === "string"
    ? `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`
    : pythonStr(value, integer);
}

/** The number of characters Python's len() counts (code points). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Python's "{:^width}" with a fill character: extra space goes to the right. */
export function centerText(text: string, width: number, fill = " "): string {
  const extra = width - textLength(text);
  if (extra <= 0) return text;
  const left = Math.floor(extra / 2);
  return fill.repeat(left) + text + fill.repeat(extra - left);
}

/** Python's "{:>width}": right-aligned, never truncated. */
export function alignRight(text: string, width: number): string {
  const extra = width - textLength(text);
  return extra > 0 ? " ".repeat(extra) + text : text;
}

/** Python's "{:<width}": left-aligned, never truncated. */
export function alignLeft(text: string, width: number): string {
  const extra = width - textLength(text);
  return extra > 0 ? text + " ".repeat(extra) : text;
}

/** The first `count` characters (code points), as Python's "%.{count}s". */
export function truncateText(text: string, count: number): string {
  return textLength(text) <= count ? text : Array.from(text).slice(0, count).join("");
}
