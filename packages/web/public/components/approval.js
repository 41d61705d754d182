// @ts-check
// Human approval of agents' queue items: who submitted an item, whether it waits for approval,
// Approve/Deny on it, and a banner while the started queue is held at such an item.
import { html } from "htm/preact";
import { itemSummary } from "../lib/plan-params.js";

/** @typedef {(path: string, params?: object) => Promise<any>} Act */

/**
 * The agent that submitted an item and its approval state, as small badges.
 * @param {{item: any}} props
 */
export function AgentBadges({ item }) {
  if (!item?.agent) return null;
  return html`<span class="pill agent" title="submitted by an agent">agent ${item.agent}</span>
    ${item.approval === "pending" ? html` <span class="pill warn" data-testid="approval-pending">awaiting approval</span>` : ""}
    ${item.approval === "approved" ? html` <span class="pill ok">approved</span>` : ""}`;
}

/**
 * Approve / Deny for an item awaiting approval (nothing otherwise).
 * @param {{item: any, act: Act, locked: boolean, label?: string}} props
 */
export function ApprovalButtons({ item, act, locked, label }) {
  if (item?.approval !== "pending") return null;
  const what = label ?? itemSummary(item);
  return html`<span class="approval"><button type="button" class="primary" disabled=${locked} aria-label=${`Approve ${what}`}
      onClick=${() => act("/api/queue/item/approve", { uid: item.item_uid })}>Approve</button>
    <button type="button" class="danger" disabled=${locked} aria-label=${`Deny ${what}`}
      onClick=${() => act("/api/queue/item/deny", { uid: item.item_uid })}>Deny</button></span>`;
}

/**
 * While the started queue waits at an agent's item (status `approval_pending`).
 * @param {{status: any, queue: any[], act: Act, locked: boolean}} props
 */
export function ApprovalBanner({ status, queue, act, locked }) {
  const uid = status?.approval_pending;
  if (!uid) return null;
  const item = queue.find((it) => it.item_uid === uid);
  return html`<div class="banner warn" role="status" data-testid="approval-banner">
    ${"The queue is waiting for your approval of "}${item ? html`<code>${itemSummary(item)}</code>, submitted by agent <strong>${item.agent}</strong>` : html`item <code>${uid}</code>`}.
    ${item ? html` <${ApprovalButtons} item=${item} act=${act} locked=${locked} label="the waiting item" />` : ""}
  </div>`;
}
