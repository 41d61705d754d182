import type { WireFormat } from "../../src/document-bus.ts";
import { documentBusContract } from "../../src/testing/bus-contract.ts";
import { startZmqProxy } from "../../src/zmq/zmq-proxy.ts";
import { openZmqPublisher } from "../../src/zmq/zmq-publisher.ts";
import { openZmqSubscriber } from "../../src/zmq/zmq-subscriber.ts";

for (const format of ["msgpack", "json"] as WireFormat[]) {
  documentBusContract(`zmq (${format})`, async () => {
    const proxy = await startZmqProxy();
    const publisher = await openZmqPublisher(proxy.inAddress, { format });
    await publisher.whenConnected();
    return {
      publisher,
      replays: false,
      async subscribe(options) {
        const before = proxy.subscribers;
        const subscriber = await openZmqSubscriber(proxy.outAddress, { ...options, format });
        await proxy.waitForSubscribers(before + 1);
        return subscriber;
      },
      async close() {
        await publisher.close();
        await proxy.close();
      },
    };
  });
}
