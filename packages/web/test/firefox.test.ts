// The main flow in Firefox (Debian's firefox-esr, over WebDriver BiDi) against the real stack:
// the page connects, a plan from the generated form runs, the live plot gets every point, the
// run is found in search, and the page logs no error. Chromium runs the full suite; this proves
// the page is not Chromium-only.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Firefox, openFirefox } from "./support/firefox-bidi.ts";
import { type RealStack, startRealStack } from "./support/real-stack.ts";

let stack: RealStack;
let firefox: Firefox;

before(async () => {
  stack = await startRealStack();
  firefox = await openFirefox();
});

after(async () => {
  await firefox?.close();
  await stack?.close();
});

const text = (selector: string) =>
  `(document.querySelector(${JSON.stringify(selector)})?.textContent ?? "")`;
/** Clicks the enabled button whose text is `label`, as a user would. */
const click = (label: string) =>
  firefox.evaluate(`(() => {
    const button = [...document.querySelectorAll("button")]
      .find((b) => b.textContent.trim() === ${JSON.stringify(label)} && !b.disabled);
    if (!button) throw new Error("no enabled button " + ${JSON.stringify(label)});
    button.click();
    return true;
  })()`);
/** Sets a field (input, select; several options for a multiple select) and fires its events. */
const fill = (selector: string, value: string | string[]) =>
  firefox.evaluate(`(() => {
    const field = document.querySelector(${JSON.stringify(selector)});
    if (!field) throw new Error("no field " + ${JSON.stringify(selector)});
    const value = ${JSON.stringify(value)};
    if (Array.isArray(value)) for (const o of field.options) o.selected = value.includes(o.value);
    else field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  })()`);

test("in Firefox, a count from the form runs, is plotted point by point and found in search", async () => {
  await firefox.navigate(`${stack.url}/`);
  await firefox.waitFor(`${text("[data-testid=connection]")}.includes("connected")`);
  await firefox.waitFor(`!!document.querySelector("#plan-name option[value=count]")`);
  await click("Open environment");
  // Opening the environment starts a worker process that compiles the profile: slow when cold.
  await firefox.waitFor(
    `${text("[data-testid=manager-state]")}.includes("environment open")`,
    90_000,
  );

  await fill("#plan-name", "count");
  await firefox.waitFor(`!!document.querySelector("#param-num")`);
  await fill("#param-detectors", ["det"]);
  await fill("#param-num", "7");
  await fill("#param-md", '{"sample": "firefox"}');
  await click("Add to queue");
  await firefox.waitFor(`document.querySelectorAll("[data-testid=queue] li").length === 1`);
  assert.match(
    String(await firefox.evaluate(text("[data-testid=queue] li"))),
    /count\(\["det"\], 7/,
  );
  await click("Start queue");
  await click("Live data");
  await firefox.waitFor(
    `document.querySelector("[data-testid=live-plot]")?.getAttribute("data-points") === "7"`,
  );
  await firefox.waitFor(`${text("[data-testid=live-run]")}.includes("success")`);
  assert.equal(
    await firefox.evaluate(
      `document.querySelectorAll("[data-testid=live-plot] canvas").length > 0`,
    ),
    true,
  );

  await click("Runs");
  await firefox.waitFor(`!!document.querySelector("#runs-key")`);
  await fill("#runs-key", "sample");
  await fill("#runs-value", "firefox");
  await click("Search");
  await firefox.waitFor(
    `document.querySelectorAll("[data-testid=runs-table] tbody tr").length === 1`,
  );
  assert.match(String(await firefox.evaluate(text("[data-testid=runs-table] tbody tr"))), /count/);
  assert.deepEqual(firefox.errors, []);
});
