// `cerulean proxy` forwards documents between ZeroMQ publishers and subscribers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openZmqPublisher, openZmqSubscriber, type ZmqProxy } from "@cerulean/bus";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { until, within } from "@cerulean/event-model/testing";
import { runProxy } from "../src/commands/proxy.ts";
import { CliUsageError } from "../src/errors.ts";

function run(): NamedDocument[] {
  const bundle = composeRun({ metadata: { plan_name: "count", scan_id: 7 } });
  const primary = bundle.composeDescriptor({
    name: "primary",
    data_keys: { det: { dtype: "number", shape: [], source: "SIM:det" } },
  });
  return [
    ["start", bundle.startDoc],
    ["descriptor", primary.descriptorDoc],
    ["event", primary.composeEvent({ data: { det: 1.5 }, timestamps: { det: 1 } })],
    ["stop", bundle.composeStop()],
  ];
}

describe("cerulean proxy", () => {
  test("forwards documents from a publisher to a subscriber and shows start and stop with -v", async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    let proxy: ZmqProxy | undefined;
    const running = runProxy(["0", "0", "-v"], {
      signal: stop.signal,
      print: (line) => lines.push(line),
      onReady: (p) => {
        proxy = p;
      },
    });
    let ended: string | undefined;
    running.then(
      (code) => {
        ended = `runProxy returned ${code}`;
      },
      (error: unknown) => {
        ended = `runProxy failed: ${String(error)}`;
      },
    );
    try {
      await until("the proxy to be ready", () => proxy !== undefined, { failed: () => ended });
      const ready = proxy as unknown as ZmqProxy;
      assert.match(lines[0] ?? "", /^Receiving on port \d+; publishing to port \d+\.$/);
      const subscriber = await openZmqSubscriber(ready.outAddress);
      let publisher: Awaited<ReturnType<typeof openZmqPublisher>> | undefined;
      try {
        await within(ready.waitForSubscribers(1), "the proxy to see the subscriber");
        publisher = await openZmqPublisher(ready.inAddress);
        const docs = run();
        // The publisher queues until the proxy has subscribed, so nothing is lost to a slow join.
        for (const named of docs) publisher.publish(...named);
        const received: NamedDocument[] = [];
        await within(
          (async () => {
            for await (const named of subscriber) {
              received.push(named);
              if (named[0] === "stop") break;
            }
          })(),
          "the run through the proxy",
        );
        assert.deepStrictEqual(received, docs);
      } finally {
        await publisher?.close();
        await subscriber.close();
      }
    } finally {
      stop.abort();
    }
    assert.equal(await within(running, "the proxy to stop after the abort"), 0);
    assert.ok(
      lines.some((l) => /^start: uid=\S+ plan_name=count scan_id=7$/.test(l)),
      lines.join("\n"),
    );
    assert.ok(lines.some((l) => /^stop: run_start=\S+ exit_status=success$/.test(l)));
    assert.ok(!lines.some((l) => l.startsWith("event")), "-v shows only start and stop");
  });

  test("refuses a command line without two ports, naming what is wrong", async () => {
    await assert.rejects(runProxy(["5577"]), (error: unknown) => {
      return error instanceof CliUsageError && /<in_port> <out_port>/.test(error.message);
    });
    await assert.rejects(runProxy(["5577", "http"]), /out_port "http" is not a port number/);
    await assert.rejects(runProxy(["1", "2", "--format", "pickle"]), /--format pickle/);
  });

  test("prints its usage with --help", async () => {
    const lines: string[] = [];
    assert.equal(await runProxy(["--help"], { print: (l) => lines.push(l) }), 0);
    assert.match(lines.join("\n"), /bluesky-0MQ-proxy/);
  });
});
