// Costs of the device layer's hot paths on sim devices: read() and set().wait() (µs per call).
import { softSignalRW } from "@cerulean/devices";
import { SynAxis, SynGauss } from "@cerulean/devices/sim";
import { cost, quick } from "./harness.ts";

const n = quick ? 2_000 : 20_000;
const motor = new SynAxis("motor");
const det = new SynGauss("det", motor, "motor", { Imax: 1 });
await det.connect();
const sig = softSignalRW(0, "sig");

await cost("devices.sim_motor.read", n, async () => {
  for (let i = 0; i < n; i++) await motor.read();
});

await cost("devices.sim_det.read", n, async () => {
  for (let i = 0; i < n; i++) await det.read();
});

await cost("devices.sim_motor.set_wait", n, async () => {
  for (let i = 0; i < n; i++) await motor.set(i % 10).wait();
});

await cost("devices.sim_det.trigger_wait", n, async () => {
  for (let i = 0; i < n; i++) await det.trigger().wait();
});

await cost("devices.soft_signal.set_wait", n, async () => {
  for (let i = 0; i < n; i++) await sig.set(i).wait();
});
