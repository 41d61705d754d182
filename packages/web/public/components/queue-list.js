// @ts-check
// The queue as an editable list: select (batch), drag or Up/Down to reorder, edit, duplicate,
// remove. Every change goes to the server; the list re-renders from what the server says.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { itemSummary } from "../lib/plan-params.js";

/** An item as it can be submitted again (the server gives it a new uid). */
const copyOf = (/** @type {any} */ it) => {
  /** @type {any} */
  const out = {
    item_type: it.item_type,
    name: it.name,
    args: it.args ?? [],
    kwargs: it.kwargs ?? {},
  };
  if (it.meta) out.meta = it.meta;
  return out;
};

/**
 * @param {{items: any[], act: (path: string, params?: object) => Promise<any>, locked: boolean,
 *   onEdit: (item: any) => void}} props
 */
export function QueueList({ items, act, locked, onEdit }) {
  const [selected, setSelected] = useState(/** @type {Set<string>} */ (new Set()));
  const [dragUid, setDragUid] = useState(/** @type {string | null} */ (null));
  const [dropUid, setDropUid] = useState(/** @type {string | null} */ (null));
  const present = new Set(items.map((it) => it.item_uid));
  const chosen = [...selected].filter((u) => present.has(u));

  const toggle = (/** @type {string} */ uid) => {
    const next = new Set(selected);
    if (next.has(uid)) next.delete(uid);
    else next.add(uid);
    setSelected(next);
  };
  const move = (/** @type {string} */ uid, /** @type {number} */ dest) =>
    act("/api/queue/item/move", { uid, pos_dest: dest });
  const onDrop = (/** @type {any} */ target, /** @type {number} */ index) => {
    const from = items.findIndex((it) => it.item_uid === dragUid);
    setDropUid(null);
    setDragUid(null);
    if (!dragUid || from < 0 || dragUid === target.item_uid) return;
    act(
      "/api/queue/item/move",
      from < index
        ? { uid: dragUid, after_uid: target.item_uid }
        : { uid: dragUid, before_uid: target.item_uid },
    );
  };
  const removeSelected = async () => {
    await act("/api/queue/item/remove/batch", { uids: chosen });
    setSelected(new Set());
  };
  const duplicateSelected = () => {
    const picked = items.filter((it) => selected.has(it.item_uid));
    const last = picked[picked.length - 1];
    if (last)
      act("/api/queue/item/add/batch", { items: picked.map(copyOf), after_uid: last.item_uid });
  };

  return html`
    <section class="panel" aria-labelledby="queue-h">
      <h2 id="queue-h">Queue (${items.length})</h2>
      <div class="controls" role="toolbar" aria-label="Selected items">
        <button type="button" onClick=${() => setSelected(new Set(chosen.length === items.length ? [] : items.map((it) => it.item_uid)))}
          disabled=${items.length === 0}>${chosen.length === items.length && items.length ? "Select none" : "Select all"}</button>
        <button type="button" disabled=${!chosen.length || locked} onClick=${duplicateSelected}>Duplicate ${chosen.length || ""}</button>
        <button type="button" disabled=${!chosen.length || locked} onClick=${() => act("/api/queue/item/move/batch", { uids: chosen, pos_dest: "front", reorder: true })}>To front</button>
        <button type="button" disabled=${!chosen.length || locked} onClick=${() => act("/api/queue/item/move/batch", { uids: chosen, pos_dest: "back", reorder: true })}>To back</button>
        <button type="button" class="danger" disabled=${!chosen.length || locked} onClick=${removeSelected}>Remove ${chosen.length || ""}</button>
        <button type="button" class="danger" disabled=${!items.length || locked} onClick=${() => confirm("Remove every queued item?") && act("/api/queue/clear")}>Clear</button>
      </div>
      ${
        items.length === 0
          ? html`<p class="muted">The queue is empty. Add a plan with the form.</p>`
          : html`
      <ol class="queue" data-testid="queue">
        ${items.map(
          (it, i) => html`
          <li key=${it.item_uid} draggable=${!locked} data-uid=${it.item_uid}
            class=${`${dragUid === it.item_uid ? "dragging" : ""} ${dropUid === it.item_uid ? "drop-target" : ""}`}
            onDragStart=${(/** @type {DragEvent} */ e) => {
              setDragUid(it.item_uid);
              e.dataTransfer?.setData("text/plain", it.item_uid);
            }}
            onDragOver=${(/** @type {DragEvent} */ e) => {
              e.preventDefault();
              setDropUid(it.item_uid);
            }}
            onDragEnd=${() => {
              setDragUid(null);
              setDropUid(null);
            }}
            onDrop=${(/** @type {DragEvent} */ e) => {
              e.preventDefault();
              onDrop(it, i);
            }}>
            <input type="checkbox" aria-label=${`select item ${i + 1}`} checked=${selected.has(it.item_uid)} onChange=${() => toggle(it.item_uid)} />
            <span class="muted" aria-hidden="true">${i + 1}.</span>
            <span class="item-text">${it.item_type === "instruction" ? html`<em>${it.name}</em>` : itemSummary(it)}</span>
            <button type="button" aria-label=${`move item ${i + 1} up`} disabled=${i === 0 || locked} onClick=${() => move(it.item_uid, i - 1)}>↑</button>
            <button type="button" aria-label=${`move item ${i + 1} down`} disabled=${i === items.length - 1 || locked} onClick=${() => move(it.item_uid, i + 1)}>↓</button>
            <button type="button" disabled=${it.item_type !== "plan" || locked} onClick=${() => onEdit(it)}>Edit</button>
            <button type="button" disabled=${locked} onClick=${() => act("/api/queue/item/add", { item: copyOf(it), after_uid: it.item_uid })}>Duplicate</button>
            <button type="button" class="danger" aria-label=${`remove item ${i + 1}`} disabled=${locked} onClick=${() => act("/api/queue/item/remove", { uid: it.item_uid })}>✕</button>
          </li>`,
        )}
      </ol>`
      }
    </section>`;
}
