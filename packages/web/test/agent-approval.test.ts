// Agents' items in the UI, in headless Chromium against the real stack: an agent (another
// process in real life; an HTTP client here) registers its limits and submits items that need
// a human's approval. The queue shows the agent and the pending badge, the started queue holds
// with a banner, Approve lets the item run, Deny sends it to history; the Agents panel shows
// limits and counters.
import assert from "node:assert/strict";
import { test } from "node:test";
import { until } from "@cerulean/event-model/testing";
import { QueueServerClient } from "@cerulean/queueserver";
import type { Page } from "playwright-core";
import type { Browser } from "./support/browser.ts";
import type { RealStack } from "./support/real-stack.ts";
import { DOCS } from "./support/screenshots.ts";
import { withUiSession } from "./support/ui-session.ts";

const WAIT = { timeout: 20_000 };
// Opening the environment starts a worker process that compiles the profile: on a cold, loaded
// machine that alone can take most of WAIT.
const ENV_OPEN = { timeout: 90_000 };

let stack: RealStack;
let browser: Browser;
let page: Page;
let agent: QueueServerClient;

withUiSession((ui) => {
  ({ stack, browser, page } = ui);
  agent = new QueueServerClient({ url: ui.stack.url });
});

const waitFor = (expression: string) => page.waitForFunction(expression, undefined, WAIT);
const ok = (reply: Record<string, unknown>) =>
  assert.equal(reply["success"], true, String(reply["msg"]));
const submit = async (num: number) =>
  ok(
    await agent.post("/api/queue/item/add", {
      item: { item_type: "plan", name: "count", args: [["det"]], kwargs: { num } },
      agent: "align",
    }),
  );

test("an agent's items wait for approval: the banner, Approve, Deny and the Agents panel", async () => {
  ok(
    await agent.post("/api/agent/register", {
      name: "align",
      limits: { plans: ["count", "scan"], motors: { motor: [-1, 1] }, max_runs: 5 },
      require_approval: true,
    }),
  );
  await submit(2);
  await submit(3);
  await page.goto(`${stack.url}/`);
  await page.locator("[data-testid=queue] li").nth(1).waitFor(WAIT);
  const items = page.locator("[data-testid=queue] li");
  for (const i of [0, 1]) {
    const text = String(await items.nth(i).textContent());
    assert.match(text, /agent align/);
    assert.match(text, /awaiting approval/);
  }
  const agents = page.getByTestId("agents");
  await agents.waitFor(WAIT);
  assert.match(
    String(await agents.textContent()),
    /align.*required.*count, scan.*motor \[-1, 1\].*0 \/ 5/s,
  );

  // Started, the queue holds at the first item until a person decides.
  await page.getByRole("button", { name: "Open environment" }).click();
  await page
    .getByRole("button", { name: "Start queue" })
    .and(page.locator(":enabled"))
    .waitFor(ENV_OPEN);
  await page.getByRole("button", { name: "Start queue" }).click();
  const banner = page.getByTestId("approval-banner");
  await banner.waitFor(WAIT);
  assert.match(
    String(await banner.textContent()),
    /approval of count\(\["det"\], num=2\), submitted by agent align/,
  );
  await page.screenshot({ path: `${DOCS}queue-approval.png` });

  await banner.getByRole("button", { name: "Approve the waiting item" }).click();
  // The approved item runs; the queue then holds at the second one.
  await waitFor(`document.querySelectorAll("[data-testid=history] tbody tr").length === 1`);
  await waitFor(
    `document.querySelector("[data-testid=approval-banner]")?.textContent?.includes('count(["det"], num=3)')`,
  );
  assert.match(
    String(await page.locator("[data-testid=history] tbody tr").first().textContent()),
    /count\(\["det"\], num=2\).*agent align.*completed/s,
  );

  // Denied from the queue list: to history as "denied", and the queue stops, empty.
  await items
    .first()
    .getByRole("button", { name: /^Deny count/ })
    .click();
  await waitFor(`document.querySelectorAll("[data-testid=history] tbody tr").length === 2`);
  await page.getByTestId("approval-banner").waitFor({ state: "detached", ...WAIT });
  const newest = String(await page.locator("[data-testid=history] tbody tr").first().textContent());
  assert.match(newest, /count\(\["det"\], num=3\).*denied/s);
  await waitFor(
    `document.querySelector("[data-testid=manager-state]")?.textContent?.includes("Manager idle")`,
  );
  await waitFor(
    `/1 \\/ 5/.test(document.querySelector("[data-testid=agents]")?.textContent ?? "")`,
  );
  assert.deepEqual(browser.errors, []);
});

test("an approved item shows as approved and a human's item carries no agent badge", async () => {
  await submit(1);
  ok(
    await agent.post("/api/queue/item/add", {
      item: { item_type: "plan", name: "count", args: [["det"]], kwargs: { num: 4 } },
    }),
  );
  const items = page.locator("[data-testid=queue] li");
  await items.nth(1).waitFor(WAIT);
  await items
    .first()
    .getByRole("button", { name: /^Approve count/ })
    .click();
  await items.first().getByText("approved", { exact: true }).waitFor(WAIT);
  assert.equal(
    await items
      .first()
      .getByRole("button", { name: /^Approve/ })
      .count(),
    0,
  );
  assert.doesNotMatch(String(await items.nth(1).textContent()), /agent|approv/);
});

test("a console line the socket delivers while the page reads the console text is shown once", async () => {
  // The slow reply of a busy machine: the text is read, a newer line arrives over the socket,
  // and only then does the reply reach the page (which used to replace that line with it).
  const frames: string[] = [];
  page.on("websocket", (ws) => ws.on("framereceived", (f) => frames.push(String(f.payload))));
  let held = false;
  await page.route("**/api/console_output_update**", async (route) => {
    const response = await route.fetch();
    if (!held) {
      held = true;
      ok(await agent.post("/api/agent/register", { name: "late", limits: {} }));
      await until("the socket to deliver the new console line", () =>
        frames.some((f) => f.includes("Agent 'late' registered")),
      );
    }
    await route.fulfill({ response });
  });
  try {
    await page.reload();
    await page.getByTestId("console").getByText("Agent 'late' registered").waitFor(WAIT);
    const text = String(await page.getByTestId("console").textContent());
    assert.equal(text.split("Agent 'late' registered").length - 1, 1, text.slice(-500));
  } finally {
    await page.unroute("**/api/console_output_update**");
  }
});
