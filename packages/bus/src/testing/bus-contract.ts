// The one test suite every bus transport passes (ZeroMQ, Redis Streams, WebSocket): what a
// producer and a consumer may rely on whichever transport carries the documents.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { after, describe, it } from "node:test";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import type {
  DocumentGap,
  DocumentPublisher,
  DocumentSubscriber,
  SubscriberOptions,
} from "../document-bus.ts";
import { gaussianScanDocuments } from "./gaussian-scan.ts";

/** A transport under test. */
export interface BusContractSubject {
  publisher: DocumentPublisher;
  /**
   * Opens a subscriber that receives whatever is published once this resolves; with `replay`,
   * it starts at the current run's start document (transports with `replays` only).
   */
  subscribe(options: SubscriberOptions & { replay?: boolean }): Promise<DocumentSubscriber>;
  /** True when a late subscriber can get the current run from its start. */
  replays: boolean;
  /** Stops what the subject started. */
  close(): Promise<void>;
}

/** Reads documents until `count` have arrived or the stop document of the last run. */
export async function collect(
  subscriber: DocumentSubscriber,
  until: number | "stop",
): Promise<NamedDocument[]> {
  const out: NamedDocument[] = [];
  for await (const named of subscriber) {
    out.push(named);
    if (until === "stop" ? named[0] === "stop" : out.length >= until) break;
  }
  return out;
}

/**
 * Registers the contract tests under `describe("document bus contract: <label>")`.
 * @example documentBusContract("redis", async () => ({ publisher, subscribe, replays: true, close }))
 */
export function documentBusContract(label: string, make: () => Promise<BusContractSubject>): void {
  describe(`document bus contract: ${label}`, { timeout: 20_000 }, () => {
    const subjects: BusContractSubject[] = [];
    const subject = async (): Promise<BusContractSubject> => {
      const made = await make();
      subjects.push(made);
      return made;
    };
    after(async () => {
      for (const s of subjects) await s.close();
    });

    it("delivers a run in order, unchanged and valid against the event-model schemas", async () => {
      const { publisher, subscribe } = await subject();
      const subscriber = await subscribe({});
      const docs = gaussianScanDocuments({ points: 11 });
      for (const named of docs) publisher.publish(...named);
      const received = await collect(subscriber, "stop");
      deepStrictEqual(received, docs);
      assertValidStream(received);
      await subscriber.close();
    });

    it("gives every subscriber every document", async () => {
      const { publisher, subscribe } = await subject();
      const first = await subscribe({});
      const second = await subscribe({});
      const docs = gaussianScanDocuments({ points: 5 });
      for (const named of docs) publisher.publish(...named);
      const [a, b] = await Promise.all([collect(first, "stop"), collect(second, "stop")]);
      deepStrictEqual(a, docs);
      deepStrictEqual(b, docs);
      await Promise.all([first.close(), second.close()]);
    });

    it("keeps numbers numbers and arrays arrays, NaN and Infinity included", async () => {
      const { publisher, subscribe } = await subject();
      const subscriber = await subscribe({});
      const run = composeRun({ metadata: { plan_name: "count", sample: "Fe₂O₃ µ-crystal ☃" } });
      const keys = ["det", "nan", "inf", "ninf", "big", "matrix", "flag", "none"];
      const stream = run.composeDescriptor({
        name: "primary",
        data_keys: Object.fromEntries(
          keys.map((k) => [k, { dtype: "number", shape: [], source: k }]),
        ),
      });
      const event = stream.composeEvent({
        data: {
          det: 1.25,
          nan: Number.NaN,
          inf: Number.POSITIVE_INFINITY,
          ninf: Number.NEGATIVE_INFINITY,
          big: 2 ** 53 - 1,
          matrix: new Float64Array([0.5, 1.5, 2.5]),
          flag: true,
          none: null,
        },
        timestamps: Object.fromEntries(keys.map((k) => [k, 1_700_000_000.5])),
      });
      const docs: NamedDocument[] = [
        ["start", run.startDoc],
        ["descriptor", stream.descriptorDoc],
        ["event", event],
        ["stop", run.composeStop()],
      ];
      for (const named of docs) publisher.publish(...named);
      const received = await collect(subscriber, "stop");
      const [, got] = received[2] as ["event", typeof event];
      deepStrictEqual(got.data, { ...event.data, matrix: [0.5, 1.5, 2.5] });
      deepStrictEqual(received[0], docs[0]);
      await subscriber.close();
    });

    it("never makes publish wait for a consumer that is not reading, and loses nothing silently", async () => {
      const { publisher, subscribe } = await subject();
      const gaps: DocumentGap[] = [];
      const subscriber = await subscribe({ onGap: (gap) => gaps.push(gap) });
      const docs = gaussianScanDocuments({ points: 298 });
      for (const named of docs) publisher.publish(...named);
      // The consumer has read nothing yet: the publisher is done regardless.
      await publisher.flush();
      const received = await collect(subscriber, "stop");
      const missed = gaps.reduce((n, gap) => n + (gap.missed ?? 0), 0);
      strictEqual(received.length + missed, docs.length);
      const uids = docs.map(([, doc]) => JSON.stringify(doc));
      let last = -1;
      for (const [, doc] of received) {
        const index = uids.indexOf(JSON.stringify(doc));
        ok(index > last, "documents arrive in the order they were published");
        last = index;
      }
      await subscriber.close();
    });

    it("replays the current run to a subscriber that joins late, when the transport can", async (t) => {
      const { publisher, subscribe, replays } = await subject();
      if (!replays) {
        t.diagnostic(`${label} has no replay: late joiners start live`);
        const late = await subscribe({});
        const docs = gaussianScanDocuments({ points: 3 });
        for (const named of docs) publisher.publish(...named);
        deepStrictEqual(await collect(late, "stop"), docs);
        await late.close();
        return;
      }
      for (const named of gaussianScanDocuments({ points: 3 })) publisher.publish(...named);
      const docs = gaussianScanDocuments({ points: 6 });
      for (const named of docs.slice(0, 4)) publisher.publish(...named);
      await publisher.flush();
      const late = await subscribe({ replay: true });
      for (const named of docs.slice(4)) publisher.publish(...named);
      const received = await collect(late, "stop");
      deepStrictEqual(received, docs);
      assertValidStream(received);
      await late.close();
    });

    it("ends the iteration when the subscriber is closed", async () => {
      const { subscribe } = await subject();
      const subscriber = await subscribe({});
      const reading = collect(subscriber, 1);
      await subscriber.close();
      deepStrictEqual(await reading, []);
    });
  });
}
