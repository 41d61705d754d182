// The end-to-end check: `cerulean ioc` in one process, a scan with CA devices in this
// one, gives the same documents as the same scan on the sim devices (uids, times and the
// DataKey sources aside). The engine does not export `scan` yet: the step scan is built from
// its plan stubs. Cross-package by nature: it belongs in packages/integration once
// that exists.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import {
  checkpoint,
  mv,
  type Plan,
  RunEngine,
  run_wrapper,
  stage_wrapper,
  trigger_and_read,
} from "@cerulean/engine";
import { CaContext, EpicsDetector, EpicsMotor } from "@cerulean/epics";
import { freeUdpPort } from "@cerulean/epics/testing";
import type { Document, DocumentName } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";

type Recorded = [DocumentName, Record<string, unknown>];

let ioc: ChildProcess;
let env: Record<string, string>;

before(async () => {
  env = {
    EPICS_CA_AUTO_ADDR_LIST: "NO",
    EPICS_CA_ADDR_LIST: "127.0.0.1",
    EPICS_CA_SERVER_PORT: String(await freeUdpPort()),
    EPICS_CA_REPEATER_PORT: String(await freeUdpPort()),
  };
  const bin = new URL("../../cli/bin/cerulean.js", import.meta.url).pathname;
  ioc = spawn(process.execPath, [bin, "ioc", "--interface", "127.0.0.1"], {
    env: { ...process.env, ...env, EPICS_CAS_SERVER_PORT: env["EPICS_CA_SERVER_PORT"] },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  ioc.stdout?.on("data", (d) => {
    out += d;
  });
  const end = Date.now() + 60_000;
  while (!out.includes("cerulean ioc: serving")) {
    if (ioc.exitCode !== null || ioc.signalCode !== null)
      throw new Error(`cerulean ioc exited (${ioc.exitCode ?? ioc.signalCode}): ${out}`);
    if (Date.now() > end) throw new Error(`cerulean ioc did not start serving in 60 s: ${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
});

after(async () => {
  // An ioc that already exited (crashed) sends no further "close": waiting for one would hang.
  if (!ioc || ioc.exitCode !== null || ioc.signalCode !== null) return;
  const exited = new Promise((resolve) => ioc.once("exit", resolve));
  ioc.kill("SIGINT");
  const timer = setTimeout(() => ioc.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
});

/**
 * A step scan of `motor` over `positions`, reading `det` and `motor` at each: Bluesky's scan,
 * built from the engine's stubs (the same plan runs on both device kinds).
 */
function stepScan(det: unknown, motor: unknown, positions: number[]): Plan<string> {
  const md = {
    plan_name: "step_scan",
    detectors: ["det"],
    motors: ["motor"],
    num_points: positions.length,
  };
  function* steps(): Plan<void> {
    for (const position of positions) {
      yield* checkpoint();
      yield* mv(motor, position);
      yield* trigger_and_read([det, motor]);
    }
  }
  return run_wrapper(stage_wrapper(steps(), [det, motor]), { md });
}

const POSITIONS = [-1, -0.5, 0, 0.5, 1];

async function record(plan: Parameters<RunEngine["call"]>[0]): Promise<Recorded[]> {
  const docs: Recorded[] = [];
  const RE = new RunEngine({ log: { info: () => {}, warn: () => {} }, input: async () => "" });
  RE.subscribe((name: DocumentName, doc: Document) => {
    docs.push([name, structuredClone(doc) as unknown as Record<string, unknown>]);
  });
  await RE.call(plan);
  return docs;
}

// What differs between two runs (uids, times) and between device kinds by nature: the DataKey
// source, the class names in object_classes.
const VOLATILE = new Set([
  "object_classes",
  "uid",
  "time",
  "run_start",
  "descriptor",
  "timestamps",
  "timestamp",
  "source",
  "versions",
]);

/** The documents without what legitimately differs between two runs and two device kinds. */
function normalize(docs: Recorded[]): unknown[] {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !VOLATILE.has(key))
          // An EPICS double always has a precision (PREC, 0 unless set); soft signals may have none.
          .filter(([key, v]) => !(key === "precision" && v === 0))
          .map(([key, v]) => [key, strip(v)]),
      );
    }
    return value;
  };
  return docs.map(([name, doc]) => [name, strip(doc)]);
}

test("a scan over CA gives the same documents as on the sim devices", async () => {
  const sim = await createSimBeamline({ dataDir: "/tmp/cerulean-epics-test" });
  const simDocs = await record(stepScan(sim.det, sim.motor, POSITIONS));

  const context = new CaContext({ env, timeout: 5 });
  const motor = new EpicsMotor("SIM:motor", "motor", { context });
  const det = new EpicsDetector("SIM:det", "det", {
    context,
    config: ["Imax", "center", "sigma", "noise", "noise_multiplier"],
  });
  await Promise.all([motor.connect(), det.connect()]);
  const caDocs = await record(stepScan(det, motor, POSITIONS));
  await context.close();

  assertValidStream(caDocs);
  const events = caDocs.filter(([name]) => name === "event").map(([, doc]) => doc["data"]);
  assert.equal(events.length, 5);
  assert.deepEqual(
    events.map((data) => (data as Record<string, number>)["motor"]),
    POSITIONS,
  );
  const descriptor = caDocs.find(([name]) => name === "descriptor")?.[1];
  const keys = descriptor?.["data_keys"] as Record<string, { source: string }>;
  assert.equal(keys["motor"]?.source, "ca://SIM:motor.RBV");
  assert.deepEqual(normalize(caDocs), normalize(simDocs));
});
