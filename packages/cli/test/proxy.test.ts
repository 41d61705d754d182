// `cerulean proxy` forwards documents between ZeroMQ publishers and subscribers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openZmqPublisher, openZmqSubscriber, type ZmqProxy } from "@cerulean/bus";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
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
    while (!proxy) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.match(lines[0] ?? "", /^Receiving on port \d+; publishing to port \d+\.$/);
    const subscriber = await openZmqSubscriber(proxy.outAddress);
    await proxy.waitForSubscribers(1);
    const publisher = await openZmqPublisher(proxy.inAddress);
    const docs = run();
    for (const named of docs) publisher.publish(...named);
    const received: NamedDocument[] = [];
    for await (const named of subscriber) {
      received.push(named);
      if (named[0] === "stop") break;
    }
    assert.deepStrictEqual(received, docs);
    await publisher.close();
    await subscriber.close();
    stop.abort();
    assert.equal(await running, 0);
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
