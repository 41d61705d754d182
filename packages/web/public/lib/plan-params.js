// @ts-check
// Turns a plan description (plans_allowed) into form fields, validates what the user typed,
// and builds the queue item; also fills the form back from an existing item (edit).

/**
 * @typedef {{
 *   name: string, kindName: string, widget: "number"|"text"|"json"|"device"|"devices"|"enum"|"bool",
 *   numberType: "int"|"float"|null, required: boolean, defaultText: string, description: string,
 *   min: number|null, max: number|null, step: number|null, choices: string[], type: string
 * }} Field
 */

const DEVICE_TYPES = ["__DEVICE__", "__READABLE__", "__MOVABLE__", "__FLYABLE__"];

/** Devices that fit a built-in type, by their kind flags. */
export function devicesFor(/** @type {string} */ type, /** @type {Record<string, any>} */ devices) {
  const names = Object.keys(devices).sort();
  if (type === "__READABLE__") return names.filter((n) => devices[n]?.is_readable);
  if (type === "__MOVABLE__") return names.filter((n) => devices[n]?.is_movable);
  if (type === "__FLYABLE__") return names.filter((n) => devices[n]?.is_flyable);
  return names;
}

/** The text shown in an input for a default value. */
function defaultText(/** @type {any} */ p, /** @type {string} */ widget) {
  const value = "default_value" in p ? p.default_value : undefined;
  if (value === undefined || value === null) return "";
  if (widget === "json" || widget === "devices") return JSON.stringify(value);
  return String(value);
}

/** @returns {Field[]} */
export function fieldsOf(/** @type {any} */ plan, /** @type {Record<string, any>} */ devices) {
  return (plan?.parameters ?? []).map((/** @type {any} */ p) => {
    const kindName = p.kind?.name ?? "POSITIONAL_OR_KEYWORD";
    const type = String(p.annotation?.type ?? "")
      .replace(/\s*\|\s*None/g, "")
      .trim();
    const inner = type.startsWith("list[") ? type.slice(5, -1) : "";
    /** @type {Field["widget"]} */
    let widget = "json";
    let choices = /** @type {string[]} */ ([]);
    if (Array.isArray(p.enum) && p.enum.length) {
      widget = "enum";
      choices = p.enum.map(String);
    } else if (DEVICE_TYPES.includes(type)) {
      widget = "device";
      choices = devicesFor(type, devices);
    } else if (DEVICE_TYPES.includes(inner)) {
      widget = "devices";
      choices = devicesFor(inner, devices);
    } else if (type === "int" || type === "float") widget = "number";
    else if (type === "str") widget = "text";
    else if (type === "bool") widget = "bool";
    const variadic = kindName === "VAR_POSITIONAL" || kindName === "VAR_KEYWORD";
    return {
      name: p.name,
      kindName,
      widget,
      numberType: type === "int" || type === "float" ? type : null,
      required: !variadic && p.default === undefined && !("default_value" in p),
      defaultText: defaultText(p, widget),
      description: p.description ?? "",
      min: typeof p.min === "number" ? p.min : null,
      max: typeof p.max === "number" ? p.max : null,
      step: typeof p.step === "number" ? p.step : null,
      choices,
      type: variadic
        ? kindName === "VAR_POSITIONAL"
          ? "JSON list"
          : "JSON object"
        : type || "any",
    };
  });
}

/**
 * Parses one field's raw value. `raw` is a string, or a string[] for multi-selects.
 * @returns {{value?: any, error?: string, empty: boolean}}
 */
export function parseField(/** @type {Field} */ f, /** @type {string | string[]} */ raw) {
  if (Array.isArray(raw)) {
    if (raw.length === 0)
      return f.required ? { error: "choose at least one", empty: true } : { empty: true };
    return { value: raw, empty: false };
  }
  const text = raw.trim();
  if (text === "") return f.required ? { error: "required", empty: true } : { empty: true };
  /** @type {any} */
  let value;
  if (f.widget === "number") {
    value = Number(text);
    if (!Number.isFinite(value)) return { error: `'${text}' is not a number`, empty: false };
    if (f.numberType === "int" && !Number.isInteger(value))
      return { error: `'${text}' is not an integer`, empty: false };
  } else if (f.widget === "bool") {
    value = text === "true";
  } else if (f.widget === "json") {
    try {
      value = JSON.parse(text);
    } catch {
      // A bare word is taken as a string (a device name, say), as a user would expect.
      if (/^[A-Za-z_][\w.]*$/.test(text)) value = text;
      else return { error: `not valid JSON: ${text.slice(0, 40)}`, empty: false };
    }
    if (f.kindName === "VAR_POSITIONAL" && !Array.isArray(value))
      return { error: 'expected a JSON list, e.g. ["motor", -1, 1]', empty: false };
    if (
      f.kindName === "VAR_KEYWORD" &&
      (typeof value !== "object" || value === null || Array.isArray(value))
    )
      return { error: "expected a JSON object", empty: false };
    if (f.type === "dict" && (typeof value !== "object" || value === null || Array.isArray(value)))
      return { error: 'expected a JSON object, e.g. {"sample": "Si"}', empty: false };
  } else {
    value = text;
  }
  if ((f.widget === "enum" || f.widget === "device") && !f.choices.includes(value))
    return { error: `'${value}' is not one of ${f.choices.join(", ")}`, empty: false };
  if (typeof value === "number") {
    if (f.min !== null && value < f.min) return { error: `must be ≥ ${f.min}`, empty: false };
    if (f.max !== null && value > f.max) return { error: `must be ≤ ${f.max}`, empty: false };
  }
  return { value, empty: false };
}

/**
 * Validates every field and builds the item's args/kwargs.
 * @param {Field[]} fields @param {Record<string, string | string[]>} values
 * @returns {{errors: Record<string, string>, args: any[], kwargs: Record<string, any>}}
 */
export function buildCall(fields, values) {
  /** @type {Record<string, string>} */
  const errors = {};
  /** @type {any[]} */
  const args = [];
  /** @type {Record<string, any>} */
  const kwargs = {};
  let positional = true; // positional args stop at the first empty optional one
  for (const f of fields) {
    const parsed = parseField(f, values[f.name] ?? "");
    if (parsed.error) {
      errors[f.name] = parsed.error;
      continue;
    }
    if (parsed.empty) {
      if (f.kindName === "POSITIONAL_OR_KEYWORD" || f.kindName === "POSITIONAL_ONLY")
        positional = false;
      continue;
    }
    if (f.kindName === "VAR_POSITIONAL") args.push(...parsed.value);
    else if (f.kindName === "VAR_KEYWORD") Object.assign(kwargs, parsed.value);
    else if (
      (f.kindName === "POSITIONAL_OR_KEYWORD" || f.kindName === "POSITIONAL_ONLY") &&
      positional
    )
      args.push(parsed.value);
    else kwargs[f.name] = parsed.value;
  }
  return { errors, args, kwargs };
}

/** Form values for an existing item (the inverse of buildCall). */
export function valuesOf(/** @type {Field[]} */ fields, /** @type {any} */ item) {
  /** @type {Record<string, string | string[]>} */
  const values = {};
  const args = [...(item?.args ?? [])];
  const kwargs = { ...(item?.kwargs ?? {}) };
  const show = (/** @type {Field} */ f, /** @type {any} */ v) =>
    f.widget === "devices"
      ? Array.isArray(v)
        ? v.map(String)
        : [String(v)]
      : f.widget === "json"
        ? JSON.stringify(v)
        : String(v);
  for (const f of fields) {
    if (f.kindName === "VAR_POSITIONAL") {
      values[f.name] = args.length ? JSON.stringify(args.splice(0)) : "";
    } else if (f.kindName === "VAR_KEYWORD") {
      const rest = Object.fromEntries(
        Object.entries(kwargs).filter(([k]) => !fields.some((g) => g.name === k)),
      );
      values[f.name] = Object.keys(rest).length ? JSON.stringify(rest) : "";
    } else if (f.kindName !== "KEYWORD_ONLY" && args.length) {
      values[f.name] = show(f, args.shift());
    } else if (f.name in kwargs) {
      values[f.name] = show(f, kwargs[f.name]);
    } else values[f.name] = f.widget === "devices" ? [] : "";
  }
  return values;
}

/** Initial form values: the defaults. */
export function defaultValues(/** @type {Field[]} */ fields) {
  /** @type {Record<string, string | string[]>} */
  const values = {};
  for (const f of fields)
    values[f.name] =
      f.widget === "devices" ? (f.defaultText ? JSON.parse(f.defaultText) : []) : f.defaultText;
  return values;
}

/** A one-line summary of an item: `scan(['det'], 'motor', -1, 1, num=5)`. */
export function itemSummary(/** @type {any} */ item) {
  if (!item?.name) return "";
  const parts = (item.args ?? []).map((/** @type {any} */ a) => JSON.stringify(a));
  for (const [k, v] of Object.entries(item.kwargs ?? {})) parts.push(`${k}=${JSON.stringify(v)}`);
  return `${item.name}(${parts.join(", ")})`;
}
