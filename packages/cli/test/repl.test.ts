// `cerulean repl` on plain streams (no terminal): one line per prompt, plans typed without await
// finish first, the shortcuts, Ctrl-C as SIGINT, the catalog and the scan_id across sessions.
// The same session through a real terminal is in repl-tty.test.ts.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { openCatalog } from "@cerulean/broker";
import { within } from "@cerulean/event-model/testing";
import { PLAN_NOT_RUN_HINT, PROMPT, startRepl } from "../src/repl/start-repl.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-cli-repl-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Session {
  input: PassThrough;
  signals: EventEmitter;
  /** Everything written so far. */
  text(): string;
  /** Resolves once the output matches `pattern` (rejects after 20 s, showing the output). */
  waitFor(pattern: RegExp): Promise<void>;
  exit: Promise<number>;
}

function open(data: string, options: { velocity?: number; profile?: string } = {}): Session {
  const input = new PassThrough();
  const output = new PassThrough();
  const signals = new EventEmitter();
  let text = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  output.on("data", (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of [...waiters]) {
      if (w.pattern.test(text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exit = startRepl({
    input,
    output,
    terminal: false,
    history: false,
    data,
    seed: 1,
    signals: signals as never,
    ...options,
  });
  return {
    input,
    signals,
    text: () => text,
    exit,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(text)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} in the output:\n${text}`)),
          20_000,
        );
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}

/** The output after the prompt that read `line` (each line is answered before the next). */
function answer(text: string, index: number): string {
  return text.split(PROMPT)[index + 1] ?? "";
}

test("plans typed without await finish before the next line; the shortcuts work", async () => {
  const data = join(dir, "shortcuts");
  const s = open(data);
  s.input.end(
    [
      "RE(scan([det], motor, -2, 2, 21))",
      "cen()",
      "com()",
      "peak()",
      "goto_cen()",
      "wa()",
      "mvr(motor, 0.5)",
      "mv(motor1, 2, motor2, -1)",
      "ct()",
      "grid_scna",
      "mv(motor)",
      "",
    ].join("\n"),
  );
  assert.equal(await within(s.exit, "the REPL session to end"), 0);
  const text = s.text();
  const [scan, cen, com, peak, gotoCen, wa, mvr, mv, ct, typo, bad] = Array.from(
    { length: 11 },
    (_, i) => answer(text, i),
  );
  assert.match(scan ?? "", /21\/21 points in [\d:]+ \(success\)\n\[ '[0-9a-f-]{36}' \]/);
  for (const value of [cen, com, peak]) assert.ok(Math.abs(Number(value?.trim())) < 1e-9, value);
  assert.match(gotoCen ?? "", /Moving motor to the centre, .*\nMoved to:\n\s+motor\s+\S+\n/);
  assert.match(wa ?? "", /Current positions:\n\s+motor\s+\S+\n\s+motor1\s+0\n/);
  assert.doesNotMatch(wa ?? "", /\bsig\b/, "soft signals are not motors");
  assert.match(mvr ?? "", /Moved to:\n\s+motor\s+0\.5\n/);
  assert.match(mv ?? "", /Moved to:\n\s+motor1\s+2\n\s+motor2\s+-1\n/);
  assert.match(ct ?? "", /Counts:\n[\s\S]*\n\s+det\s+0\.882497\n[\s\S]*\s+det1\s+0\.00167/);
  assert.match(typo ?? "", /grid_scna is not defined; did you mean grid_scan\?/);
  assert.match(bad ?? "", /mv\/mvr take motor, position pairs/);
});

test("SIGINT pauses at the next checkpoint; RE.resume() finishes; catalog and scan_id persist", async () => {
  const data = join(dir, "pause");
  const s = open(data);
  s.input.write("RE(count([det], 40, 0.02))\n");
  await s.waitFor(/\|\s+1 \|/);
  s.signals.emit("SIGINT");
  await s.waitFor(/Paused\. Use RE\.resume\(\)/);
  assert.match(s.text(), /A 'deferred pause' has been requested/);
  assert.ok(!s.text().includes("40/40 points"));
  s.input.end("RE.state\nRE.resume()\n");
  assert.equal(await within(s.exit, "the REPL session to end"), 0);
  assert.match(answer(s.text(), 1), /'paused'/);
  assert.match(answer(s.text(), 2), /40\/40 points in [\d:]+ \(success\)/);
  assert.equal(s.signals.listenerCount("SIGINT"), 0, "the session let go of SIGINT");

  // A second session on the same data directory continues the scan_id.
  const again = open(data);
  again.input.end("RE(count([det], 1))\n");
  assert.equal(await within(again.exit, "the REPL session to end"), 0);
  assert.match(again.text(), /\(scan num: 2\)/);
  const catalog = await openCatalog(join(data, "catalog.sqlite"));
  try {
    const runs = await catalog.search();
    assert.deepEqual(
      runs.map((r) => [r.start.scan_id, r.stop?.exit_status, r.stop?.num_events?.["primary"]]),
      [
        [1, "success", 40],
        [2, "success", 1],
      ],
    );
  } finally {
    await catalog.close();
  }
});

test("a plan left paused when the session ends is aborted, so its run is closed", async () => {
  const data = join(dir, "left-paused");
  const s = open(data);
  s.input.write("RE(count([det], 40, 0.02))\n");
  await s.waitFor(/\|\s+1 \|/);
  s.signals.emit("SIGINT");
  s.signals.emit("SIGINT");
  await s.waitFor(/Paused\. Use RE\.resume\(\)/);
  assert.match(s.text(), /Pausing immediately/);
  s.input.end();
  assert.equal(await within(s.exit, "the REPL session to end"), 0);
  assert.match(s.text(), /aborting the paused plan/);
  const catalog = await openCatalog(join(data, "catalog.sqlite"));
  try {
    const [run] = await catalog.search();
    assert.equal(run?.stop?.exit_status, "abort");
    assert.equal(run?.stop?.reason, "the REPL session ended");
  } finally {
    await catalog.close();
  }
});

test("RE.stop(), RE.abort() and RE.halt() after a pause end the run as documented", async () => {
  const data = join(dir, "stop-abort");
  const s = open(data);
  s.input.write("RE(count([det], 40, 0.02))\n");
  await s.waitFor(/\|\s+1 \|/);
  s.signals.emit("SIGINT");
  await s.waitFor(/Paused\./);
  s.input.write("RE.stop()\n");
  await s.waitFor(/\(success\)/);
  s.input.write("RE(count([det], 40, 0.02))\n");
  await s.waitFor(/\|\s+1 \|[\s\S]*\|\s+1 \|/);
  s.signals.emit("SIGINT");
  await s.waitFor(/Paused\.[\s\S]*Paused\./);
  s.input.write("RE.abort('bad beam')\n");
  await s.waitFor(/The plan ended: abort \(bad beam\)/);
  s.input.write("RE(count([det], 40, 0.02))\n");
  await s.waitFor(/(\|\s+1 \|[\s\S]*){3}/);
  s.signals.emit("SIGINT");
  await s.waitFor(/(Paused\.[\s\S]*){3}/);
  s.input.end("RE.halt()\n");
  assert.equal(await within(s.exit, "the REPL session to end"), 0);
  assert.match(s.text(), /Halting: skipping cleanup/);
  const catalog = await openCatalog(join(data, "catalog.sqlite"));
  try {
    const runs = await catalog.search();
    assert.deepEqual(
      runs.map((r) => [r.stop?.exit_status, r.stop?.reason]),
      [
        ["success", ""],
        ["abort", "bad beam"],
        ["abort", ""],
      ],
    );
  } finally {
    await catalog.close();
  }
});

test("--profile: the config's devices, plans and detectors are at the prompt", async () => {
  const url = (relative: string) => pathToFileURL(join(import.meta.dirname, relative)).href;
  const config = join(dir, "cerulean.config.ts");
  writeFileSync(
    config,
    `import { defineConfig } from ${JSON.stringify(url("../src/index.ts"))};
import { SynAxis, SynGauss } from ${JSON.stringify(url("../../devices/src/sim/index.ts"))};
import { bp } from ${JSON.stringify(url("../../engine/src/index.ts"))};
const theta = new SynAxis("theta");
const diode = new SynGauss("diode", theta, "theta", { center: 0.5, Imax: 2, sigma: 0.2 });
const other = new SynGauss("other", theta, "theta", { center: 0, Imax: 1, sigma: 1 });
export const config = defineConfig({
  name: "bl-test",
  devices: async () => {
    for (const d of [theta, diode, other]) await d.connect();
    return { theta, diode, other };
  },
  plans: { rocking: (width) => bp.scan([diode], theta, 0.5 - width, 0.5 + width, 11) },
  detectors: ["diode"],
});
`,
  );
  const s = open(join(dir, "profile"), { profile: config });
  s.input.end("RE(rocking(0.5))\ncen()\nwa()\nct()\nrocking(0.5)\n");
  assert.equal(await within(s.exit, "the REPL session to end"), 0);
  const text = s.text();
  assert.match(text, /profile "bl-test": 3 devices \(theta, diode, other\)/);
  assert.match(answer(text, 0), /11\/11 points in [\d:]+ \(success\)/);
  assert.ok(Math.abs(Number(answer(text, 1).trim()) - 0.5) < 1e-9, answer(text, 1));
  assert.match(answer(text, 2), /Current positions:\n\s+theta\s+1\n/);
  assert.match(answer(text, 3), /^Counts:\n\s+diode\s+0\.087\d*\n$/);
  assert.ok(answer(text, 4).includes(PLAN_NOT_RUN_HINT), answer(text, 4));
});

test("a plan refusing its arguments shows the message, not the library's stack", async () => {
  const s = open(join(dir, "plan-errors"));
  s.input.end(["count([det], -1)", "RE(count([det], -1))", "RE.resume()", ""].join("\n"));
  assert.equal(await within(s.exit, "the REPL session to end"), 0);
  const text = s.text();
  for (const i of [0, 1]) {
    const shown = answer(text, i);
    assert.match(shown, /Plan(Argument|Validation)Error: count: num must be a whole number/);
    assert.doesNotMatch(shown, /\n\s+at /, shown);
  }
  assert.match(answer(text, 2), /TransitionError: the RunEngine is idle/);
  assert.doesNotMatch(answer(text, 2), /\n\s+at /);
});
