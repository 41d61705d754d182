// The main flow operated by keyboard only (Tab, Enter, arrows, type-ahead; no clicks) in
// headless Chromium against the real stack: open the environment, fill the generated form
// (a missing field takes the focus), queue two plans, reorder them with Alt+↓, remove one, start
// the queue, then switch screens and open the finished run. Focus must always be visible and
// never stranded by a button that disables itself or an item that moves or goes.
import assert from "node:assert/strict";
import { test } from "node:test";
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

withUiSession((ui) => ({ stack, browser, page } = ui));

interface Focused {
  tag: string;
  id: string;
  name: string;
  uid: string | null;
  outline: string;
}

// Runs in the page: what has the focus, its accessible name, and its focus ring.
const FOCUSED = `(() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return { tag: e.tagName, id: e.id, uid: e.getAttribute("data-uid"),
    name: (e.getAttribute("aria-label") || e.textContent || "").trim(),
    outline: style.outlineStyle + " " + style.outlineWidth };
})()`;
const focused = async () => (await page.evaluate(FOCUSED)) as Focused;

/**
 * Presses Tab (Shift+Tab with `back`) until the focus is on an element whose name or id
 * matches; returns it.
 */
async function tabTo(target: string | RegExp, back = false, limit = 150): Promise<Focused> {
  const hit = (f: Focused) =>
    typeof target === "string" ? f.name === target || f.id === target : target.test(f.name);
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const f = await focused();
    if (hit(f)) {
      // A visible focus ring on whatever the keyboard reached.
      assert.equal(f.outline, "solid 3px", `focus ring on ${f.tag}#${f.id} "${f.name}"`);
      return f;
    }
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

const waitFor = (expression: string, options = WAIT) =>
  page.waitForFunction(expression, undefined, options);
const queueTexts = `JSON.stringify([...document.querySelectorAll("[data-testid=queue] li .item-text")].map((e) => e.textContent))`;

test("the main flow works from the keyboard alone, with the focus always visible", async () => {
  await page.goto(`${stack.url}/`);
  await page.getByTestId("connection").getByText("connected", { exact: true }).waitFor(WAIT);
  await page.locator("#plan-name option[value=count]").waitFor({ state: "attached", ...WAIT });

  await tabTo("Open environment");
  await page.keyboard.press("Enter");
  await waitFor(
    `document.querySelector("[data-testid=manager-state]")?.textContent?.includes("environment open")`,
    ENV_OPEN,
  );
  // The pressed button is disabled now; the focus moved on to the next control that works.
  await waitFor(`document.activeElement?.textContent === "Close environment"`);

  // The form: pick count by type-ahead, leave the detectors empty and submit.
  await tabTo("plan-name");
  await page.keyboard.type("count");
  assert.equal(await page.inputValue("#plan-name"), "count");
  await tabTo("param-num");
  await page.keyboard.type("2");
  await tabTo("Add to queue");
  await page.keyboard.press("Enter");
  await page.getByTestId("error-detectors").waitFor(WAIT);
  assert.equal((await focused()).id, "param-detectors", "the first invalid field gets the focus");
  // Fix it where the focus landed: type-ahead in the list of detectors.
  await page.keyboard.type("det1");
  await tabTo("Add to queue");
  await page.keyboard.press("Enter");
  await waitFor(`${queueTexts} === ${JSON.stringify(JSON.stringify(['count(["det1"], 2)']))}`);
  // A second item: the same form, another count.
  await tabTo("param-num", true);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("3");
  await tabTo("Add to queue");
  await page.keyboard.press("Enter");
  const both = ['count(["det1"], 2)', 'count(["det1"], 3)'];
  await waitFor(`${queueTexts} === ${JSON.stringify(JSON.stringify(both))}`);

  // Reorder: focus the first item, Alt+↓ moves it down and the focus goes with it.
  const first = await tabTo(/^item 1: /, true);
  await page.keyboard.press("Alt+ArrowDown");
  await waitFor(`${queueTexts} === ${JSON.stringify(JSON.stringify([...both].reverse()))}`);
  // The moved item keeps the focus (given back right after the re-render).
  await waitFor(
    `document.activeElement?.getAttribute("data-uid") === ${JSON.stringify(first.uid)}`,
  );
  const after = await focused();
  assert.match(after.name, /^item 2: /);
  await page.keyboard.press("ArrowUp");
  assert.match((await focused()).name, /^item 1: count\(\["det1"\], 3\)/);
  await page.screenshot({ path: `${DOCS}keyboard.png` });
  // Remove it with its ✕ button: the focus goes to the item now in its place.
  await tabTo("remove item 1");
  await page.keyboard.press("Enter");
  await waitFor(`${queueTexts} === ${JSON.stringify(JSON.stringify([both[0]]))}`);
  await waitFor(`/^item 1: count/.test(document.activeElement?.getAttribute("aria-label") ?? "")`);

  await tabTo("Start queue");
  await page.keyboard.press("Enter");
  await waitFor(
    `document.querySelectorAll("[data-testid=history] tbody tr").length === 1 && document.querySelector("[data-testid=manager-state]")?.textContent?.includes("Manager idle")`,
  );

  // Screens by keyboard: Shift+Tab back to the tabs, Runs, then the newest run's link.
  await tabTo("Runs", true);
  await page.keyboard.press("Enter");
  await waitFor(`document.querySelectorAll("[data-testid=runs-table] tbody tr").length === 1`);
  await tabTo(/^[0-9a-f]{8}$/);
  await page.keyboard.press("Enter");
  await page.locator("[data-testid=stream-primary] tbody tr").first().waitFor(WAIT);
  assert.match(String(await page.getByTestId("run-title").textContent()), /count/);
  assert.deepEqual(browser.errors, []);
});
