// Every rel_ plan puts its motors back where they started when a detector fails mid-scan.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createSimBeamline } from "@cerulean/devices/sim";
import type { Plan } from "../../src/index.ts";
import {
  rel_adaptive_scan,
  rel_grid_scan,
  rel_list_grid_scan,
  rel_list_scan,
  rel_log_scan,
  rel_scan,
  rel_spiral,
  rel_spiral_fermat,
  rel_spiral_square,
  relative_inner_product_scan,
  x2x_scan,
} from "../../src/plans/index.ts";
import { FlakyDetector } from "../fakes.ts";
import { docsNamed } from "../helpers.ts";
import { onlyStart, planEngine } from "./support.ts";

type Make = (det: FlakyDetector, m1: unknown, m2: unknown) => Plan<unknown>;

const plans: [string, Make][] = [
  ["rel_scan", (d, m1, m2) => rel_scan([d], m1, -1, 1, m2, 0, 2, 5)],
  ["relative_inner_product_scan", (d, m1) => relative_inner_product_scan([d], 5, m1, -1, 1)],
  ["rel_list_scan", (d, m1) => rel_list_scan([d], m1, [1, 2, 3])],
  ["rel_grid_scan", (d, m1, m2) => rel_grid_scan([d], m1, 0, 1, 2, m2, 0, 1, 2)],
  ["rel_list_grid_scan", (d, m1, m2) => rel_list_grid_scan([d], m1, [0, 1], m2, [0, 1])],
  ["rel_log_scan", (d, m1) => rel_log_scan([d], m1, 0, 1, 3)],
  ["rel_spiral", (d, m1, m2) => rel_spiral([d], m1, m2, 1, 1, 0.1, 1)],
  ["rel_spiral_fermat", (d, m1, m2) => rel_spiral_fermat([d], m1, m2, 1, 1, 0.1, 1)],
  ["rel_spiral_square", (d, m1, m2) => rel_spiral_square([d], m1, m2, 1, 1, 3, 3)],
  ["rel_adaptive_scan", (d, m1) => rel_adaptive_scan([d], "flaky", m1, 0, 2, 0.1, 1, 0.1, false)],
  ["x2x_scan", (d, m1, m2) => x2x_scan([d], m1, m2, -1, 1, 5)],
];

for (const [name, make] of plans) {
  test(`${name} returns its motors to where they started after a failure`, async () => {
    const { motor1, motor2 } = await createSimBeamline();
    await motor1.set(3);
    await motor2.set(-3);
    const det = new FlakyDetector("flaky", 1);
    const { RE, docs } = planEngine();
    await assert.rejects(RE.call(make(det, motor1, motor2)), /flaky: sensor disconnected/);
    assert.equal(motor1.position, 3, "motor1 back");
    assert.equal(motor2.position, -3, "motor2 back");
    const start = onlyStart(docs);
    assert.equal(start["plan_name"], name);
    assert.equal(docsNamed(docs, "stop")[0]?.["exit_status"], "fail");
  });
}
