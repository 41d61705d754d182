// The soft IOC against an independent implementation: Debian's pyepics, which wraps EPICS
// base's libca. Needs `apt-get install python3-pyepics`; runs under /usr/bin/python3 (the
// pyenv python3 on PATH does not see Debian's modules).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import type { SoftIoc } from "../src/server/soft-ioc.ts";
import { startTestIoc } from "./helpers.ts";

const PYTHON = "/usr/bin/python3";

let ioc: SoftIoc;
const events: string[] = [];

before(async () => {
  ioc = await startTestIoc();
  ioc.add("PY:double", {
    value: 1.5,
    units: "mm",
    precision: 3,
    limits: { display: { low: -10, high: 10 }, control: { low: -5, high: 5 } },
    severity: 1,
    status: 3,
  });
  ioc.add("PY:long", { type: "long", value: 42 });
  ioc.add("PY:short", { type: "short", value: -3 });
  ioc.add("PY:float", { type: "float", value: 0.5 });
  ioc.add("PY:char", { type: "char", value: 65 });
  ioc.add("PY:enum", { type: "enum", value: 1, enumStrings: ["Off", "On", "Auto"] });
  ioc.add("PY:string", { value: "hello" });
  ioc.add("PY:waveform", { value: new Float64Array([1, 2, 3]), count: 16 });
  ioc.add("PY:readonly", { value: 7, writable: false });
  const counter = ioc.add("PY:counter", { type: "long", value: 0 });
  // A put that takes a while, like a motor move: completion must wait for it.
  ioc.add("PY:move", {
    value: 0,
    onPut: async (value, pv) => {
      events.push("move started");
      await new Promise((r) => setTimeout(r, 100));
      pv.update({ value });
      events.push("move done");
    },
  });
  // Writing the trigger bumps the counter three times: what the monitor should see.
  ioc.add("PY:trigger", {
    value: 0,
    onPut: () => {
      for (let i = 1; i <= 3; i++) counter.update({ value: i });
    },
  });
});

after(async () => {
  await ioc.close();
});

/** Runs a script; its last line of output is JSON. Killed if it has not ended within 60 s. */
function runPython(script: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-c", script], {
      env: { PATH: "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", ...ioc.clientEnv() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      err += "\n(killed: still running after 60 s)";
      child.kill("SIGKILL");
    }, 60_000);
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        reject(
          new Error(
            `python exited ${code}; stdout: ${out.slice(-500)}; stderr: ${err.slice(-1500)}`,
          ),
        );
      }
    });
  });
}

const PRELUDE = `
import json, time
try:
    import epics
except ImportError:
    raise SystemExit("python3-pyepics is not installed (apt-get install -y python3-pyepics)")
`;

describe("pyepics (libca) against the soft IOC", () => {
  test("reads every type with its metadata", async () => {
    const result = await runPython(`${PRELUDE}
out = {}
for name in ["double", "long", "short", "float", "char", "string"]:
    out[name] = epics.caget("PY:" + name, timeout=10)
out["enum"] = epics.caget("PY:enum", as_string=True, timeout=10)
out["waveform"] = list(epics.caget("PY:waveform", timeout=10))
pv = epics.PV("PY:double", form="ctrl")
pv.wait_for_connection(10)
pv.get()
ctrl = pv.get_ctrlvars()
out["ctrl"] = [ctrl["units"], ctrl["precision"], ctrl["upper_disp_limit"], ctrl["lower_ctrl_limit"], ctrl["severity"], ctrl["status"]]
tpv = epics.PV("PY:double", form="time")
tpv.wait_for_connection(10)
tpv.get()
out["age"] = time.time() - tpv.timestamp
out["enum_strs"] = list(epics.PV("PY:enum", form="ctrl").get_ctrlvars(timeout=10)["enum_strs"])
print(json.dumps(out))
`);
    assert.deepEqual(result["double"], 1.5);
    assert.deepEqual(result["long"], 42);
    assert.deepEqual(result["short"], -3);
    assert.deepEqual(result["float"], 0.5);
    assert.deepEqual(result["char"], 65);
    assert.deepEqual(result["string"], "hello");
    assert.deepEqual(result["enum"], "On");
    assert.deepEqual(result["waveform"], [1, 2, 3]);
    assert.deepEqual(result["ctrl"], ["mm", 3, 10, -5, 1, 3]);
    assert.deepEqual(result["enum_strs"], ["Off", "On", "Auto"]);
    assert.ok(Math.abs(result["age"] as number) < 60, "timestamps are in the EPICS epoch");
  });

  test("writes, with and without completion; a read-only PV is refused", async () => {
    const result = await runPython(`${PRELUDE}
out = {}
epics.caput("PY:long", 1234, wait=True, timeout=10)
epics.caput("PY:enum", "Auto", wait=True, timeout=10)
epics.caput("PY:string", "from python", wait=True, timeout=10)
epics.caput("PY:waveform", [4, 5, 6, 7], wait=True, timeout=10)
epics.caput("PY:float", 2.25)
time.sleep(0.1)
out["move"] = epics.caput("PY:move", 8.5, wait=True, timeout=10)
try:
    epics.caput("PY:readonly", 1, wait=True, timeout=10)
    out["readonly"] = "accepted"
except Exception as e:
    out["readonly"] = str(e)
print(json.dumps(out))
`);
    assert.equal(ioc.database.require("PY:long").value, 1234);
    assert.equal(ioc.database.require("PY:enum").value, 2);
    assert.equal(ioc.database.require("PY:string").value, "from python");
    assert.deepEqual(
      [...(ioc.database.require("PY:waveform").array as Float64Array)],
      [4, 5, 6, 7],
    );
    assert.equal(ioc.database.require("PY:float").value, 2.25);
    assert.equal(result["move"], 1, "caput with wait=True reported success");
    assert.equal(ioc.database.require("PY:move").value, 8.5);
    assert.deepEqual(events, ["move started", "move done"]);
    assert.match(String(result["readonly"]), /Write access denied/i);
    assert.equal(ioc.database.require("PY:readonly").value, 7);
  });

  test("monitors every update", async () => {
    const result = await runPython(`${PRELUDE}
seen = []
pv = epics.PV("PY:counter", auto_monitor=True, callback=lambda value=None, **kw: seen.append(int(value)))
pv.wait_for_connection(10)
deadline = time.time() + 10
while not seen and time.time() < deadline:
    time.sleep(0.01)
epics.caput("PY:trigger", 1, wait=True, timeout=10)
while len(seen) < 4 and time.time() < deadline:
    time.sleep(0.01)
print(json.dumps({"seen": seen}))
`);
    assert.deepEqual(result["seen"], [0, 1, 2, 3]);
  });
});
