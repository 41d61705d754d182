// @ts-check
// A form generated from the server's plan description: one field per parameter, with its type,
// default, range and the allowed devices as choices; errors are shown at the field before
// anything is sent. Also edits a queued item (queue/item/update keeps its uid).
import { html } from "htm/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { buildCall, defaultValues, fieldsOf, valuesOf } from "../lib/plan-params.js";
import { Field } from "./plan-field.js";

/**
 * @param {{plans: Record<string, any>, devices: Record<string, any>, editing: any, locked: boolean,
 *   act: (path: string, params?: object) => Promise<any>, onDone: () => void}} props
 */
export function PlanForm({ plans, devices, editing, locked, act, onDone }) {
  const names = Object.keys(plans).sort();
  const [planName, setPlanName] = useState("");
  const name = editing?.name ?? (plans[planName] ? planName : (names[0] ?? ""));
  const plan = plans[name];
  const fields = useMemo(() => fieldsOf(plan, devices), [plan, devices]);
  const [values, setValues] = useState(/** @type {Record<string, string|string[]>} */ ({}));
  const [errors, setErrors] = useState(/** @type {Record<string, string>} */ ({}));
  const [note, setNote] = useState("");

  // Another plan chosen or another item to edit: start from its values.
  const editingUid = editing?.item_uid;
  useEffect(() => {
    setValues(editing ? valuesOf(fields, editing) : defaultValues(fields));
    setErrors({});
  }, [name, editingUid]);
  // The same plan described anew (the environment opened, the server came back): keep what
  // was typed in the fields that still exist.
  useEffect(() => {
    setValues((typed) => {
      const fresh = defaultValues(fields);
      for (const f of fields) if (f.name in typed) fresh[f.name] = typed[f.name];
      return fresh;
    });
  }, [fields]);

  const submit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    const call = buildCall(fields, values);
    setErrors(call.errors);
    const invalid = fields.find((f) => call.errors[f.name]);
    if (invalid) {
      setNote("Fix the marked fields.");
      // Keyboard and screen-reader users land on the first field to fix.
      document.getElementById(`param-${invalid.name}`)?.focus();
      return;
    }
    const item = { item_type: "plan", name, args: call.args, kwargs: call.kwargs };
    const reply = editing
      ? await act("/api/queue/item/update", {
          item: { ...item, item_uid: editing.item_uid, meta: editing.meta },
        })
      : await act("/api/queue/item/add", { item });
    if (reply) {
      setNote(editing ? "Item updated." : `Added ${name} (queue size ${reply.qsize}).`);
      onDone();
    } else setNote("");
  };

  if (!names.length)
    return html`<section class="panel"><h2>Add a plan</h2><p class="muted">No plans are allowed yet
      (is the server reachable and the user group permitted?).</p></section>`;
  return html`
    <section class="panel" aria-labelledby="form-h">
      <h2 id="form-h">${editing ? `Edit queued ${name}` : "Add a plan"}</h2>
      <form class="plan-form" onSubmit=${submit} noValidate data-testid="plan-form">
        <div class="field">
          <label for="plan-name">Plan</label>
          <select id="plan-name" value=${name} disabled=${Boolean(editing)} onChange=${(/** @type {any} */ e) => setPlanName(e.currentTarget.value)}>
            ${names.map((n) => html`<option value=${n}>${n}</option>`)}
          </select>
          ${plan?.description && html`<span class="hint">${plan.description}</span>`}
        </div>
        ${fields.map(
          (
            f,
          ) => html`<${Field} key=${`${name}.${f.name}`} field=${f} value=${values[f.name]} error=${errors[f.name]}
            onInput=${(/** @type {string|string[]} */ v) => {
              setValues({ ...values, [f.name]: v });
              if (errors[f.name]) setErrors({ ...errors, [f.name]: "" });
            }} />`,
        )}
        <div class="controls">
          <button type="submit" class="primary" disabled=${locked}>${editing ? "Save changes" : "Add to queue"}</button>
          ${
            editing
              ? html`<button type="button" onClick=${onDone}>Cancel</button>`
              : html`<button type="button" disabled=${locked} onClick=${() => act("/api/queue/item/add", { item: { item_type: "instruction", name: "queue_stop" } })}>Add queue_stop</button>`
          }
          <span role="status" class="muted" data-testid="form-note">${note}</span>
        </div>
      </form>
    </section>`;
}
