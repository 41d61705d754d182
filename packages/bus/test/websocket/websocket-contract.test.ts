import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { WireFormat } from "../../src/document-bus.ts";
import { documentBusContract } from "../../src/testing/bus-contract.ts";
import { attachDocumentWebSocket } from "../../src/websocket/document-websocket.ts";
import { openWebSocketSubscriber } from "../../src/websocket/websocket-subscriber.ts";

for (const format of ["json", "msgpack"] as WireFormat[]) {
  documentBusContract(`websocket (${format})`, async () => {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const publisher = attachDocumentWebSocket(server, { formats: ["json", "msgpack"] });
    const url = `ws://127.0.0.1:${port}${publisher.path}`;
    return {
      publisher,
      replays: true,
      async subscribe(options) {
        const subscriber = await openWebSocketSubscriber(url, {
          ...options,
          format,
          replay: options.replay ? "run" : "none",
        });
        await subscriber.live;
        return subscriber;
      },
      async close() {
        await publisher.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  });
}
