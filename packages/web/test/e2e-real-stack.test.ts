// End to end in headless Chromium against the real stack (queue server + worker, broker, bus,
// web UI on one port): submit a plan from the generated form, start the queue, watch the live
// plot grow, pause and resume, find the finished run in search and open it, watch a tomography
// scan's slice reconstructed as it runs. Saves screenshots of the main screens to
// packages/web/docs/.
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

const managerText = async () => String(await page.getByTestId("manager-state").textContent());
// Predicates run in the page, so they are written as expressions (no DOM types in node).
const waitFor = (expression: string, options = WAIT) =>
  page.waitForFunction(expression, undefined, options);
const waitForManager = (text: string, options = WAIT) =>
  waitFor(
    `document.querySelector("[data-testid=manager-state]")?.textContent?.includes(${JSON.stringify(text)})`,
    options,
  );

test("the page loads, connects and lists the allowed plans", async () => {
  await page.goto(`${stack.url}/`);
  await page.getByTestId("connection").getByText("connected", { exact: true }).waitFor(WAIT);
  await page.locator("#plan-name option[value=count]").waitFor({ state: "attached", ...WAIT });
  const plans = await page.locator("#plan-name option").allTextContents();
  assert.ok(plans.includes("count") && plans.includes("mv"), `plans: ${plans.join(", ")}`);
  assert.match(await managerText(), /environment\s+closed/);
});

test("opening the environment enables the right controls and keeps what was typed", async () => {
  assert.equal(await page.getByRole("button", { name: "Resume" }).isDisabled(), true);
  // The environment's plan descriptions replace the server's when it opens: typed values stay.
  await page.selectOption("#plan-name", "count");
  await page.fill("#param-num", "7");
  await page.getByRole("button", { name: "Open environment" }).click();
  await waitForManager("environment open", ENV_OPEN);
  await page.waitForTimeout(1000); // a poll or two: time for the form to (wrongly) reset
  assert.equal(await page.inputValue("#param-num"), "7");
  assert.equal(await page.getByRole("button", { name: "Open environment" }).isDisabled(), true);
  assert.equal(await page.getByRole("button", { name: "Close environment" }).isEnabled(), true);
  // Nothing queued yet: the queue cannot start.
  assert.equal(await page.getByRole("button", { name: "Start queue" }).isDisabled(), true);
});

test("the generated form shows validation errors at the field before submitting", async () => {
  await page.selectOption("#plan-name", "count");
  await page.fill("#param-md", "{sample: 1");
  await page.fill("#param-num", "2.5");
  await page.fill("#param-delay", "-1");
  await page.getByRole("button", { name: "Add to queue" }).click();
  await page.getByTestId("error-detectors").waitFor(WAIT);
  assert.match(String(await page.getByTestId("error-num").textContent()), /not an integer/);
  assert.match(String(await page.getByTestId("error-md").textContent()), /not valid JSON/);
  assert.match(String(await page.getByTestId("error-delay").textContent()), /must be ≥ 0/);
  assert.equal(await page.locator("#param-num").getAttribute("aria-invalid"), "true");
  await page.screenshot({ path: `${DOCS}plan-form-errors.png` });
  const queued = await page.locator("[data-testid=queue] li").count();
  assert.equal(queued, 0, "nothing may be sent while fields are invalid");
});

test("a count submitted from the form runs and the live plot grows to every point", async () => {
  await page.selectOption("#param-detectors", ["det"]);
  await page.fill("#param-md", '{"sample": "Si-111"}');
  await page.fill("#param-delay", "");
  await page.fill("#param-num", "15");
  await page.getByRole("button", { name: "Add to queue" }).click();
  await page.locator("[data-testid=queue] li").first().waitFor(WAIT);
  assert.match(
    String(await page.locator("[data-testid=queue] li").first().textContent()),
    /count\(\["det"\], 15, md=\{"sample":"Si-111"\}\)/,
  );
  await page.getByRole("button", { name: "Start queue" }).click();
  await page.getByRole("button", { name: "Live data", exact: true }).click();
  await waitFor(
    `document.querySelector("[data-testid=live-plot]")?.getAttribute("data-points") === "15"`,
  );
  await page.getByTestId("live-run").getByText("success").waitFor(WAIT);
  assert.equal((await page.locator("[data-testid=live-plot] canvas").count()) > 0, true);
  await page.screenshot({ path: `${DOCS}live.png` });
});

test("pause and resume a running count from the controls", async () => {
  await page.getByRole("button", { name: "Queue", exact: true }).click();
  await page.selectOption("#plan-name", "count");
  await page.selectOption("#param-detectors", ["det1", "det2"]);
  await page.fill("#param-num", "40");
  await page.fill("#param-delay", "0.1");
  await page.getByRole("button", { name: "Add to queue" }).click();
  await page.locator("[data-testid=queue] li").first().waitFor(WAIT);
  await page.getByRole("button", { name: "Start queue" }).click();
  const pause = page.getByRole("button", { name: "Pause (deferred)" });
  await pause.and(page.locator(":enabled")).waitFor(WAIT);
  await pause.click();
  await waitForManager("Manager paused");
  await page.getByTestId("running-item").getByText("count").waitFor(WAIT);
  await page.getByText("(paused)").waitFor(WAIT);
  const resume = page.getByRole("button", { name: "Resume" });
  assert.equal(await resume.isEnabled(), true);
  assert.equal(await page.getByRole("button", { name: "Abort" }).isEnabled(), true);
  assert.equal(await pause.isDisabled(), true);
  await page.screenshot({ path: `${DOCS}queue-paused.png` });
  await resume.click();
  await waitForManager("Manager idle");
  await page.locator("[data-testid=history] tbody tr").nth(1).waitFor(WAIT);
  const statuses = await page
    .locator("[data-testid=history] tbody tr td:nth-child(2)")
    .allTextContents();
  assert.deepEqual(statuses, ["completed", "completed"]);
  await page.screenshot({ path: `${DOCS}queue.png` });
});

test("the finished count is found in search and its run page shows metadata and the stream", async () => {
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.fill("#runs-plan", "count");
  await page.fill("#runs-key", "sample");
  await page.fill("#runs-value", "Si-111");
  // A time range after the run finds nothing; cleared, the key filter finds the one run.
  await page.fill("#runs-since", "2999-01-01T00:00");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByText("0 runs").waitFor(WAIT);
  await page.fill("#runs-since", "");
  await page.getByRole("button", { name: "Search" }).click();
  await waitFor(`document.querySelectorAll("[data-testid=runs-table] tbody tr").length === 1`);
  const row = page.locator("[data-testid=runs-table] tbody tr").first();
  assert.match(String(await row.textContent()), /count/);
  await page.screenshot({ path: `${DOCS}runs.png` });
  await row.getByRole("link").click();
  await page.locator("[data-testid=stream-primary] tbody tr").nth(14).waitFor(WAIT);
  assert.equal(await page.locator("[data-testid=stream-primary] tbody tr").count(), 15);
  assert.match(String(await page.getByTestId("run-title").textContent()), /count/);
  assert.match(String(await page.getByTestId("run-metadata").first().textContent()), /Si-111/);
  await page.screenshot({ path: `${DOCS}run.png`, fullPage: true });
});

test("only the latest search answers: a slower, older one does not replace its results", async () => {
  await page.getByRole("button", { name: "Runs", exact: true }).click();
  await page.getByTestId("runs-table").waitFor(WAIT);
  let answered = () => {};
  const slowAnswered = new Promise<void>((resolve) => {
    answered = resolve;
  });
  await page.route(/fulltext/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
    answered();
  });
  try {
    for (const field of ["#runs-plan", "#runs-key", "#runs-value"]) await page.fill(field, "");
    await page.fill("#runs-text", "no-run-has-this-text");
    await page.getByRole("button", { name: "Search" }).click();
    await page.fill("#runs-text", "");
    await page.fill("#runs-plan", "count");
    await page.getByRole("button", { name: "Search" }).click();
    await waitFor(`document.querySelectorAll("[data-testid=runs-table] tbody tr").length > 0`);
    await slowAnswered;
    await page.waitForTimeout(300); // the page's turn to (wrongly) show the older reply
    assert.ok((await page.locator("[data-testid=runs-table] tbody tr").count()) > 0);
    assert.equal(await page.getByText("0 runs").count(), 0);
  } finally {
    await page.unroute(/fulltext/);
  }
});

test("the devices panel lists the environment's devices with readings", async () => {
  await page.getByRole("button", { name: "Devices", exact: true }).click();
  const text = String(await page.getByTestId("devices").textContent());
  assert.match(text, /motor/);
  assert.match(text, /det1 =/);
  await page.screenshot({ path: `${DOCS}devices.png` });
});

test("a tomography scan shows its projections and the slice reconstructed as it runs", async () => {
  await page.getByRole("button", { name: "Queue", exact: true }).click();
  const item = { item_type: "plan", name: "scan", args: [["tomo_det"], "rot", 0, 180, 24] };
  const added = await page.evaluate(
    async (body) => {
      const r = await fetch("/api/queue/item/add", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return ((await r.json()) as { success: boolean }).success;
    },
    { item },
  );
  assert.equal(added, true);
  await page
    .getByRole("button", { name: "Start queue" })
    .and(page.locator(":enabled"))
    .waitFor(WAIT);
  await page.getByRole("button", { name: "Start queue" }).click();
  await page.getByRole("button", { name: "Live data", exact: true }).click();
  await page.getByTestId("live-run").getByText("success").waitFor(WAIT);
  await page.getByTestId("image-tomo_det").waitFor({ state: "visible", ...WAIT });
  const slice = page.getByTestId("image-slice");
  await slice.waitFor({ state: "visible", ...WAIT });
  await page
    .getByTestId("latest-images")
    .getByText(/\(streaming_fbp\)/)
    .waitFor(WAIT);
  // The canvases take the image sizes when the next animation frame draws them.
  const sizes = `JSON.stringify(["image-tomo_det", "image-slice"].map((id) => {
    const c = document.querySelector("[data-testid=" + id + "]");
    return [c.width, c.height];
  }))`;
  await waitFor(
    `${sizes} === ${JSON.stringify(
      JSON.stringify([
        [64, 4],
        [64, 64],
      ]),
    )}`,
  );
  assert.deepEqual(JSON.parse(String(await page.evaluate(sizes))), [
    [64, 4],
    [64, 64],
  ]);
  await page.screenshot({ path: `${DOCS}live-tomography.png` });
});

test("a lost connection is shown and the UI recovers when the server answers again", async () => {
  await page.getByRole("button", { name: "Queue", exact: true }).click();
  await page.route("**/api/status", (route) => route.abort("connectionrefused"));
  await page.getByTestId("connection-error").waitFor(WAIT);
  assert.match(String(await page.getByTestId("connection").textContent()), /disconnected/);
  await page.unroute("**/api/status");
  await page.getByTestId("connection-error").waitFor({ state: "detached", ...WAIT });
  assert.match(String(await page.getByTestId("connection").textContent()), /^connected/);
});

test("a request the server never answers is given up: shown as a lost connection, then recovered", async () => {
  const held: import("playwright-core").Route[] = [];
  await page.route("**/api/status", (route) => {
    held.push(route);
  });
  try {
    // Given up after the client's 15 s request timeout.
    await page.getByTestId("connection-error").waitFor({ timeout: 40_000 });
    assert.match(
      String(await page.getByTestId("connection-error").textContent()),
      /no answer within/,
    );
  } finally {
    await page.unroute("**/api/status");
    for (const route of held) await route.continue().catch(() => undefined);
  }
  await page.getByTestId("connection-error").waitFor({ state: "detached", ...WAIT });
});

const addCount = async (num: string) => {
  const before = await page.locator("[data-testid=queue] li").count();
  await page.selectOption("#plan-name", "count");
  await page.selectOption("#param-detectors", ["det"]);
  await page.fill("#param-num", num);
  await page.getByRole("button", { name: "Add to queue" }).click();
  await page.locator("[data-testid=queue] li").nth(before).waitFor();
};
const waitForQueue = (expected: string[]) =>
  waitFor(
    `JSON.stringify([...document.querySelectorAll("[data-testid=queue] li .item-text")].map((e) => e.textContent)) === ${JSON.stringify(JSON.stringify(expected))}`,
  );

const c = (n: number) => `count(["det"], ${n})`;

test("the queue is edited: reorder by keyboard buttons, drag, duplicate, edit, batch remove", async () => {
  await addCount("1");
  await addCount("2");
  await addCount("3");
  await waitForQueue([c(1), c(2), c(3)]);
  await page.getByRole("button", { name: "move item 1 down" }).click();
  await waitForQueue([c(2), c(1), c(3)]);
  await page.getByRole("button", { name: "move item 3 up" }).focus();
  await page.keyboard.press("Enter");
  await waitForQueue([c(2), c(3), c(1)]);
  await page
    .locator("[data-testid=queue] li")
    .nth(2)
    .dragTo(page.locator("[data-testid=queue] li").nth(0));
  await waitForQueue([c(1), c(2), c(3)]);
  await page
    .locator("[data-testid=queue] li")
    .nth(1)
    .getByRole("button", { name: "Duplicate" })
    .click();
  await waitForQueue([c(1), c(2), c(2), c(3)]);
  await page.locator("[data-testid=queue] li").nth(3).getByRole("button", { name: "Edit" }).click();
  assert.equal(await page.inputValue("#param-num"), "3");
  await page.fill("#param-num", "7");
  await page.getByRole("button", { name: "Save changes" }).click();
  await waitForQueue([c(1), c(2), c(2), c(7)]);
  await page.getByRole("checkbox", { name: "select item 2" }).check();
  await page.getByRole("checkbox", { name: "select item 3" }).check();
  await page.screenshot({ path: `${DOCS}queue-edit.png` });
  await page.getByRole("button", { name: "Remove 2" }).click();
  await waitForQueue([c(1), c(7)]);
});

test("one status poll at a time: a refresh asked for during a poll waits for it", async () => {
  // Two polls at once could answer out of order and show the queue as it was before an edit
  // (and each refresh used to start one more endless poll loop).
  let inFlight = 0;
  let most = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/api/status", async (route) => {
    most = Math.max(most, ++inFlight);
    await released;
    try {
      await route.continue();
    } finally {
      inFlight--;
    }
  });
  try {
    const duplicated = page.waitForResponse("**/api/queue/item/add");
    await page
      .locator("[data-testid=queue] li")
      .first()
      .getByRole("button", { name: "Duplicate" })
      .click();
    await duplicated;
    // Time for a second poll to start, if the refresh does not wait for the held one.
    await page.waitForTimeout(500);
    release();
    await waitForQueue([c(1), c(1), c(7)]);
    assert.equal(most, 1, "a second status request was sent while one was unanswered");
  } finally {
    release();
    await page.unroute("**/api/status");
  }
});

test("an edit refused by the server (another client removed the item) is shown", async () => {
  const uid = await page.locator("[data-testid=queue] li").nth(1).getAttribute("data-uid");
  await page.locator("[data-testid=queue] li").nth(1).getByRole("button", { name: "Edit" }).click();
  await page.fill("#param-num", "9");
  const removed = await page.evaluate(async (u) => {
    const r = await fetch("/api/queue/item/remove", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ uid: u }),
    });
    return ((await r.json()) as { success: boolean }).success;
  }, uid);
  assert.equal(removed, true);
  await page.getByRole("button", { name: "Save changes" }).click();
  const banner = String(await page.getByTestId("action-error").textContent());
  assert.match(banner, /queue\/item\/update/);
  assert.match(banner, new RegExp(String(uid).slice(0, 8)));
  await page.screenshot({ path: `${DOCS}server-error.png` });
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Dismiss" }).click();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Clear" }).click();
  await waitForQueue([]);
});

test("a queue lock taken by another client is shown and disables queue edits", async () => {
  const post = (path: string, body: object) =>
    page.evaluate(
      async ([p, b]) => {
        const r = await fetch(p as string, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(b),
        });
        return ((await r.json()) as { success: boolean }).success;
      },
      [path, body] as const,
    );
  assert.equal(await post("/api/lock", { lock_key: "k-1", queue: true, note: "alignment" }), true);
  await page.getByTestId("lock").getByText("locked: queue").waitFor(WAIT);
  assert.equal(await page.getByRole("button", { name: "Add to queue" }).isDisabled(), true);
  assert.equal(await page.getByRole("button", { name: "Add queue_stop" }).isDisabled(), true);
  assert.equal(await post("/api/unlock", { lock_key: "k-1" }), true);
  await page
    .getByRole("button", { name: "Add to queue" })
    .and(page.locator(":enabled"))
    .waitFor(WAIT);
});

test("closing the environment leaves no browser errors behind", async () => {
  await page.getByRole("button", { name: "Close environment" }).click();
  await waitForManager("environment closed");
  assert.equal(await page.getByRole("button", { name: "Open environment" }).isEnabled(), true);
  // The only expected console errors are the refused requests of the lost-connection test.
  assert.deepEqual(
    browser.errors.filter((e) => !e.includes("ERR_CONNECTION_REFUSED")),
    [],
  );
});
