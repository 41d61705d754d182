// A fast scan on sim devices (every message answered at once or by a promise that settles as a
// microtask) must still give the event loop turns: timers, sockets and Ctrl-C share the process.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import { bp, RunEngine } from "../../src/index.ts";

test("timers keep firing while a fast scan on sim devices runs", async () => {
  const { det, motor } = await createSimBeamline();
  const RE = new RunEngine();
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    const result = await RE.call(bp.scan([det], motor, -1, 1, 5000));
    assert.equal(result.exitStatus, "success");
  } finally {
    clearInterval(timer);
  }
  assert.ok(ticks > 0, "a 1 ms interval never fired during a 5,000-point scan");
});
