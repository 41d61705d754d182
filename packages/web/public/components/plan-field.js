// @ts-check
// One parameter of a plan form, with the input that suits its type.
import { html } from "htm/preact";

/**
 * @param {{field: import("../lib/plan-params.js").Field, value: string|string[]|undefined, error?: string,
 *   onInput: (v: string|string[]) => void}} props
 */
export function Field({ field: f, value, error, onInput }) {
  const id = `param-${f.name}`;
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const common = {
    id,
    name: f.name,
    "aria-invalid": error ? "true" : "false",
    "aria-describedby": `${hintId}${error ? ` ${errId}` : ""}`,
  };
  const text = typeof value === "string" ? value : "";
  let input;
  if (f.widget === "devices") {
    const chosen = Array.isArray(value) ? value : [];
    input = html`<select ...${common} multiple size=${Math.min(6, Math.max(2, f.choices.length))}
      onChange=${(/** @type {any} */ e) => onInput([...e.currentTarget.selectedOptions].map((o) => o.value))}>
      ${f.choices.map((c) => html`<option value=${c} selected=${chosen.includes(c)}>${c}</option>`)}</select>`;
  } else if (f.widget === "device" || f.widget === "enum" || f.widget === "bool") {
    const choices = f.widget === "bool" ? ["true", "false"] : f.choices;
    input = html`<select ...${common} value=${text} onChange=${(/** @type {any} */ e) => onInput(e.currentTarget.value)}>
      <option value="">${f.required ? "— choose —" : "(default)"}</option>
      ${choices.map((c) => html`<option value=${c}>${c}</option>`)}</select>`;
  } else {
    input = html`<input ...${common} type="text" inputmode=${f.widget === "number" ? "decimal" : undefined} value=${text}
      placeholder=${f.kindName === "VAR_POSITIONAL" ? '["motor", -1, 1]' : f.widget === "json" ? "JSON" : ""}
      onInput=${(/** @type {any} */ e) => onInput(e.currentTarget.value)} />`;
  }
  const range = [
    f.min !== null ? `min ${f.min}` : "",
    f.max !== null ? `max ${f.max}` : "",
    f.step !== null ? `step ${f.step}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  return html`
    <div class="field">
      <label for=${id}>${f.name}${f.required ? " *" : ""} <span class="muted">(${f.type})</span></label>
      ${input}
      <span class="hint" id=${hintId}>${[f.description, range, f.defaultText && !f.required ? `default ${f.defaultText}` : ""].filter(Boolean).join(" · ")}</span>
      ${error && html`<span class="error" id=${errId} role="alert" data-testid=${`error-${f.name}`}>${error}</span>`}
    </div>`;
}
