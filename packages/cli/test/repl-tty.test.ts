// `cerulean repl` through a real pseudo-terminal (tmux): type a scan, see the table, Ctrl-C,
// see the pause prompt, resume, see the run complete; then the shortcuts, completion, history.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { openCatalog } from "@cerulean/broker";
import { TmuxTerminal } from "./tmux-terminal.ts";

const bin = fileURLToPath(new URL("../bin/cerulean.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cerulean-repl-tty-"));
const data = join(dir, "data");
const terminals: TmuxTerminal[] = [];
after(() => {
  for (const t of terminals) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts `cerulean repl` on the sim profile with slow motors (0.5 unit/s) in a fresh terminal:
 * the 31-point scan then takes 4 s after its first row, time enough for Ctrl-C to land mid-scan
 * on a loaded machine (the screen is polled, and the keys go through tmux to another process).
 */
function startRepl(dataDir = data): TmuxTerminal {
  const terminal = new TmuxTerminal(dir);
  terminals.push(terminal);
  const command = `node ${JSON.stringify(bin)} repl --data ${JSON.stringify(dataDir)} --velocity 0.5 --seed 1; echo "EXITED $?"; sleep 600`;
  terminal.start(command, { cwd: dir, env: { NO_COLOR: "1" } });
  return terminal;
}

const PROMPT = "cerulean> ";
/** The screen after the last echo of `command` at the prompt. */
const after_ = (screen: string, command: string) =>
  screen.slice(screen.lastIndexOf(`${PROMPT}${command}`));

test("the REPL runs a scan with a LiveTable, pauses on Ctrl-C and resumes to the end", async () => {
  const t = startRepl();
  // The first start compiles the whole stack (tsx): slow on a cold, loaded machine.
  await t.waitForText(PROMPT, 1, 90_000);

  // Tab completes plan and device names.
  t.send("grid_sc");
  t.send("Tab", true);
  await t.waitForText(`${PROMPT}grid_scan`);
  t.send("C-u", true);
  t.send("noisy_d");
  t.send("Tab", true);
  await t.waitForText(`${PROMPT}noisy_det`);
  t.send("C-u", true);
  t.send("bps.trigger_and_r");
  t.send("Tab", true);
  await t.waitForText(`${PROMPT}bps.trigger_and_read`);
  t.send("C-u", true);

  const scan = "await RE(scan([det], motor, -1, 1, 31))";
  t.line(scan);
  await t.waitFor("the first row of the table", (s) => /\|\s+1 \|[^\n]*\|\s+-1\.000 \|/.test(s));
  t.send("C-c", true);
  const paused = await t.waitFor("the pause prompt", (s) =>
    /Paused\. Use RE\.resume\(\)[^\n]*RE\.stop\(\)[^\n]*RE\.abort\(\)[^\n]*RE\.halt\(\)[^\n]*\n+cerulean> /.test(
      after_(s, scan),
    ),
  );
  assert.match(paused, /deferred pause' has been requested/);
  assert.ok(!paused.includes("31/31 points"), "the scan ended before the pause");

  t.line("RE.resume()");
  const done = await t.waitFor("the end of the run", (s) =>
    /31\/31 points in [\d:]+ \(success\)\n\[ '[0-9a-f-]{36}' \]\n+cerulean> /.test(
      after_(s, "RE.resume()"),
    ),
  );
  assert.match(after_(done, "RE.resume()"), /\|\s+31 \|[^\n]*\|\s+1\.000 \|/);

  // The shortcuts: where all, moves that run at once, a count, the last run's peak statistics.
  t.line("wa()");
  assert.match(
    after_(await t.waitForText("Current positions:"), "wa()"),
    /Current positions:\n\s+motor\s+1\n/,
  );
  t.line("mv(motor, 0.25)");
  await t.waitFor("mv", (s) => /Moved to:\n\s+motor\s+0\.25\n/.test(after_(s, "mv(motor, 0.25)")));
  t.line("mvr(motor, 0.25)");
  await t.waitFor("mvr", (s) => /Moved to:\n\s+motor\s+0\.5\n/.test(after_(s, "mvr(motor, 0.25)")));
  t.line("ct()");
  await t.waitFor("ct", (s) => /Counts:\n(\s+\S+\s+\S+\n)*\s+det\s+0\.88/.test(after_(s, "ct()")));
  t.line("cen()");
  const cen = await t.waitFor("cen", (s) => /cen\(\)\n(\S+)\n/.test(after_(s, "cen()")));
  const centre = Number(/cen\(\)\n(\S+)\n/.exec(after_(cen, "cen()"))?.[1]);
  assert.ok(Math.abs(centre) < 0.01, `cen() = ${centre}; the sim det peaks at motor = 0`);
  t.line("goto_cen()");
  await t.waitFor("goto_cen", (s) => /Moved to:\n\s+motor\s+\S+\n/.test(after_(s, "goto_cen()")));

  // A typo gets the closest names.
  t.line("scna");
  await t.waitForText("scna is not defined; did you mean scan?");

  t.line(".exit");
  await t.waitForText("EXITED 0");
  t.kill();

  // The run is in the catalog of the data directory, closed as a success.
  const catalog = await openCatalog(join(data, "catalog.sqlite"));
  try {
    const runs = await catalog.search();
    assert.deepEqual(
      runs.map((r) => [r.start["plan_name"], r.start.scan_id, r.stop?.exit_status]),
      [["scan", 1, "success"]],
    );
    const table = await (await runs[0]!.stream("primary")).read();
    assert.equal(table.data["motor"]?.length, 31);
  } finally {
    await catalog.close();
  }

  // The history survives the session: Up at a new prompt recalls the last line.
  const history = readFileSync(join(data, ".cerulean_history"), "utf8");
  assert.ok(history.includes(scan), history);
  const again = startRepl();
  await again.waitForText(PROMPT, 1, 90_000);
  again.send("Up", true);
  await again.waitForText(`${PROMPT}.exit`);
  again.send("Up", true);
  await again.waitForText(`${PROMPT}scna`);
  again.send("C-u", true);
  again.line(".exit");
  await again.waitForText("EXITED 0");
});

test("quick Ctrl-C presses while a plan is paused do not end the REPL; .exit does", async () => {
  const other = join(dir, "data-presses");
  const t = startRepl(other);
  await t.waitForText(PROMPT, 1, 90_000);
  const count = "await RE(count([det], 500, 0.02))";
  t.line(count);
  await t.waitFor("the second row of the table", (s) => /\|\s+2 \|/.test(after_(s, count)));
  t.send("C-c", true);
  await t.waitFor("the pause", (s) =>
    /Paused\. Use RE\.resume\(\)[^\n]*\n+cerulean> /.test(after_(s, count)),
  );
  for (let i = 0; i < 3; i++) t.send("C-c", true);
  t.line("40 + 2");
  await t.waitFor("the REPL still answering", (s) => /\n42\n/.test(after_(s, "40 + 2")));
  assert.ok(!t.screen().includes("EXITED"), t.screen());
  t.line("await RE.abort()");
  await t.waitFor("the abort", (s) => /\(abort\)/.test(after_(s, "await RE.abort()")));
  t.line(".exit");
  await t.waitForText("EXITED 0");
  t.kill();
  const catalog = await openCatalog(join(other, "catalog.sqlite"));
  try {
    const runs = await catalog.search();
    assert.deepEqual(
      runs.map((r) => r.stop?.exit_status),
      ["abort"],
    );
  } finally {
    await catalog.close();
  }
});
