// Channel Access on loopback, our client against our soft IOC: gets/s, puts/s, monitor
// updates/s, and the latency of a get and of a put with completion.
import { CaContext, EventMask, startSoftIoc } from "@cerulean/epics";
import { cost, quick, rate, report } from "./harness.ts";

const n = quick ? 2_000 : 20_000;
const sequential = quick ? 500 : 5_000;

const ioc = await startSoftIoc({
  env: {},
  config: {
    interfaceAddress: "127.0.0.1",
    serverPort: 0,
    beaconAddrList: [],
    autoBeaconAddrList: false,
  },
});
const value = ioc.add("BENCH:value", { value: 0 });
ioc.add("BENCH:setpoint", { value: 0 });
ioc.add("BENCH:waveform", { value: new Float64Array(1000), count: 1000 });
const ca = new CaContext({ env: ioc.clientEnv(), beacons: false, timeout: 30 });
const scalar = await ca.channel("BENCH:value");
const setpoint = await ca.channel("BENCH:setpoint");
const waveform = await ca.channel("BENCH:waveform");

/** Issues `count` operations with up to `window` in flight (a pipelined client). */
async function pipelined(count: number, op: () => Promise<unknown>, window = 256): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await op();
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
}

await rate("epics.get_pipelined", "gets/s", n, () => pipelined(n, () => scalar.get()));
await rate("epics.get_waveform_1000_doubles", "gets/s", n / 4, () =>
  pipelined(n / 4, () => waveform.get()),
);
await rate("epics.put_no_wait", "puts/s", n, async () => {
  for (let i = 0; i < n; i++) await setpoint.put(i);
  await setpoint.get(); // a round trip: every put before it has been processed
});
await rate("epics.put_with_completion_pipelined", "puts/s", n, () =>
  pipelined(n, () => setpoint.put(1, { wait: true })),
);
await cost("epics.get_latency", sequential, async () => {
  for (let i = 0; i < sequential; i++) await scalar.get();
});
await cost("epics.put_completion_latency", sequential, async () => {
  for (let i = 0; i < sequential; i++) await setpoint.put(i, { wait: true });
});

// Monitor throughput: the IOC posts n updates; time until the client has seen the last one.
const received: number[] = [];
for (let repeat = 0; repeat < 3; repeat++) {
  let seen = 0;
  let last = -1;
  const start = value.value as number;
  const done = new Promise<void>((resolve) => {
    const sub = scalar.subscribe(
      (update) => {
        seen++;
        last = update.value as number;
        if (last === start + n) {
          sub.close();
          resolve();
        }
      },
      { mask: EventMask.value },
    );
  });
  await new Promise((r) => setTimeout(r, 50)); // the initial update is in
  const t0 = process.hrtime.bigint();
  for (let i = 1; i <= n; i++) value.update({ value: start + i });
  await done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  received.push((seen - 1) / seconds);
}
received.sort((a, b) => a - b);
report({ name: "epics.monitor_updates", unit: "updates/s", n, value: received[1] ?? 0 });

await ca.close();
await ioc.close();
