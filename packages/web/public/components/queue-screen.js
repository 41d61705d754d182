// @ts-check
// The queue screen: status and controls, the running item, the plan form, the queue, the
// history and the console.
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { AgentsPanel } from "./agents-panel.js";
import { ApprovalBanner } from "./approval.js";
import { ConsoleView } from "./console-view.js";
import { Controls } from "./controls.js";
import { HistoryList } from "./history-list.js";
import { PlanForm } from "./plan-form.js";
import { QueueList } from "./queue-list.js";
import { RunningItem } from "./running-item.js";

/** @param {{state: any, act: (path: string, params?: object) => Promise<any>, live: any}} props */
export function QueueScreen({ state, act, live }) {
  const [editing, setEditing] = useState(/** @type {any} */ (null));
  const queueLocked = Boolean(state.status?.lock?.queue);
  return html`
    <${Controls} status=${state.status} act=${act} />
    <${ApprovalBanner} status=${state.status} queue=${state.queue} act=${act} locked=${queueLocked} />
    <div class="grid2">
      <div style="display:grid;gap:1rem;align-content:start">
        <${RunningItem} item=${state.runningItem} status=${state.status} live=${live} />
        <${QueueList} items=${state.queue} act=${act} locked=${queueLocked} onEdit=${setEditing} />
        <${HistoryList} items=${state.history} />
        <${AgentsPanel} agents=${state.agents ?? []} />
      </div>
      <div style="display:grid;gap:1rem;align-content:start">
        <${PlanForm} plans=${state.plans} devices=${state.devices} act=${act} editing=${editing}
          locked=${queueLocked} onDone=${() => setEditing(null)} />
        <${ConsoleView} text=${state.console} />
      </div>
    </div>`;
}
