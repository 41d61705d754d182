// @ts-check
// The queue as an editable list: select (batch), drag, ↑/↓ buttons or Alt+↑/↓ to reorder, edit,
// duplicate, remove, approve/deny agents' items. Every change goes to the server; the list
// re-renders from what the server says (keyed by uid, so a moved item keeps the focus).
import { html } from "htm/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { itemSummary } from "../lib/plan-params.js";
import { AgentBadges, ApprovalButtons } from "./approval.js";

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
  const list = useRef(/** @type {HTMLOListElement | null} */ (null));
  // The item moved (or removed) from the keyboard: moving a node in the DOM, or removing it,
  // drops its focus; once the server's new queue is rendered, the focus goes to the moved item
  // (or to the item now in the removed one's place).
  const refocus = useRef(/** @type {{uid: string, from: number} | null} */ (null));
  useEffect(() => {
    const r = refocus.current;
    const at = r ? items.findIndex((it) => it.item_uid === r.uid) : -1;
    if (!r || at === r.from) return;
    refocus.current = null;
    const lis = list.current?.querySelectorAll("li") ?? [];
    const target = at >= 0 ? lis[at] : lis[Math.min(r.from, lis.length - 1)];
    // Only a focus the edit dropped is given back; never taken from elsewhere.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (target instanceof HTMLElement && lost) target.focus();
  }, [items]);
  /** Sends an edit of item `uid` (at `from`), then puts back the focus it may drop. */
  const edit = (
    /** @type {string} */ uid,
    /** @type {number} */ from,
    /** @type {() => Promise<any>} */ send,
  ) => {
    refocus.current = { uid, from };
    send().then((reply) => {
      if (!reply) refocus.current = null;
    });
  };
  const present = new Set(items.map((it) => it.item_uid));
  const chosen = [...selected].filter((u) => present.has(u));

  const toggle = (/** @type {string} */ uid) => {
    const next = new Set(selected);
    if (next.has(uid)) next.delete(uid);
    else next.add(uid);
    setSelected(next);
  };
  /**
   * Moves item `i` one place, past its neighbour as shown: named by uid, not by position, since
   * the front item may have started running (and the positions shifted) since this render.
   */
  const step = (/** @type {number} */ i, /** @type {boolean} */ up) => {
    const uid = items[i].item_uid;
    const neighbour = items[up ? i - 1 : i + 1]?.item_uid;
    if (!neighbour || locked) return;
    edit(uid, i, () =>
      act(
        "/api/queue/item/move",
        up ? { uid, before_uid: neighbour } : { uid, after_uid: neighbour },
      ),
    );
  };
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
  /** Keys on a focused item: ↑/↓ go through the queue, Alt+↑/↓ move the item, Space selects. */
  const onKey = (
    /** @type {KeyboardEvent} */ e,
    /** @type {any} */ it,
    /** @type {number} */ i,
  ) => {
    if (e.target !== e.currentTarget) return;
    const li = /** @type {HTMLElement} */ (e.currentTarget);
    const up = e.key === "ArrowUp";
    if (!up && e.key !== "ArrowDown" && e.key !== " ") return;
    e.preventDefault();
    if (e.key === " ") toggle(it.item_uid);
    else if (e.altKey) step(i, up);
    else {
      const next = up ? li.previousElementSibling : li.nextElementSibling;
      if (next instanceof HTMLElement) next.focus();
    }
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
      <p class="muted keys" id="queue-keys">Keyboard: focus an item, then ↑/↓ to go through the queue,
        Alt+↑/↓ to move it, Space to select it.</p>
      <ol class="queue" data-testid="queue" aria-describedby="queue-keys" ref=${list}>
        ${items.map(
          (it, i) => html`
          <li key=${it.item_uid} draggable=${!locked} data-uid=${it.item_uid} tabindex="0"
            aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown" aria-label=${`item ${i + 1}: ${itemSummary(it)}`}
            onKeyDown=${(/** @type {KeyboardEvent} */ e) => onKey(e, it, i)}
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
            <${AgentBadges} item=${it} />
            <${ApprovalButtons} item=${it} act=${act} locked=${locked} />
            <span class="item-actions"><button type="button" aria-label=${`move item ${i + 1} up`} disabled=${i === 0 || locked} onClick=${() => step(i, true)}>↑</button>
            <button type="button" aria-label=${`move item ${i + 1} down`} disabled=${i === items.length - 1 || locked} onClick=${() => step(i, false)}>↓</button>
            <button type="button" disabled=${it.item_type !== "plan" || locked} onClick=${() => onEdit(it)}>Edit</button>
            <button type="button" disabled=${locked} onClick=${() => act("/api/queue/item/add", { item: copyOf(it), after_uid: it.item_uid })}>Duplicate</button>
            <button type="button" class="danger" aria-label=${`remove item ${i + 1}`} disabled=${locked} onClick=${() => edit(it.item_uid, i, () => act("/api/queue/item/remove", { uid: it.item_uid }))}>✕</button></span>
          </li>`,
        )}
      </ol>`
      }
    </section>`;
}
