// `cerulean run` through a real pseudo-terminal (tmux): Ctrl-C pauses, then the question.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { openCatalog } from "@cerulean/broker";
import { TmuxTerminal } from "./tmux-terminal.ts";

const bin = fileURLToPath(new URL("../bin/cerulean.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cerulean-run-tty-"));
const terminals: TmuxTerminal[] = [];
after(() => {
  for (const t of terminals) t.kill();
  rmSync(dir, { recursive: true, force: true });
});

const QUESTION = "Paused. [r]esume, [s]top, [a]bort or [h]alt? ";

test("a Ctrl-C just after the pause question and an empty answer do not abort; r resumes", async () => {
  const data = join(dir, "data");
  const t = new TmuxTerminal(dir);
  terminals.push(t);
  const command = `node ${JSON.stringify(bin)} run "count([det], 500, 0.02)" --data-dir ${JSON.stringify(data)}; echo "EXITED $?"; sleep 600`;
  // A long grace: on a loaded machine the second Ctrl-C may land more than 1 s after the question.
  t.start(command, { cwd: dir, env: { NO_COLOR: "1", CERULEAN_PAUSE_GRACE_MS: "60000" } });
  // The first start compiles the whole stack (tsx): slow on a cold, loaded machine.
  await t.waitFor("the second row", (s) => /\|\s+2 \|/.test(s), 90_000);
  t.send("C-c", true);
  await t.waitForText(QUESTION);
  // The second press of "twice pauses at once", landing after the pause: meant for the pause.
  t.send("C-c", true);
  t.send("Enter", true);
  await t.waitForText(QUESTION, 2);
  t.line("r");
  const screen = await t.waitForText("EXITED 0");
  assert.match(screen, /cerulean run: success\n/);
  assert.doesNotMatch(screen, /abort/);
  t.kill();
  const catalog = await openCatalog(join(data, "catalog.sqlite"));
  try {
    const runs = await catalog.search();
    assert.deepEqual(
      runs.map((r) => [r.stop?.exit_status, r.stop?.num_events?.["primary"]]),
      [["success", 500]],
    );
  } finally {
    await catalog.close();
  }
});
