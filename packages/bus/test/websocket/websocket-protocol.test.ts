import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import { BusConfigError, BusDecodeError } from "../../src/errors.ts";
import {
  decodeServerFrame,
  encodeDocumentFrame,
  encodeNoticeFrame,
  parseSubscriptionRequest,
  subscriptionQuery,
} from "../../src/websocket/websocket-protocol.ts";

describe("the document WebSocket's messages", () => {
  it("writes a document frame as JSON text with Python's NaN token", () => {
    const frame = encodeDocumentFrame(7, "event", { data: { det: Number.NaN } }, "json");
    strictEqual(frame, '{"type":"document","seq":7,"name":"event","doc":{"data":{"det":NaN}}}');
    deepStrictEqual(decodeServerFrame(frame, "json"), {
      type: "document",
      seq: 7,
      name: "event",
      doc: { data: { det: Number.NaN } },
    });
  });

  it("round-trips document, gap and live frames through msgpack", () => {
    const doc = encodeDocumentFrame(1, "start", { uid: "u", time: 1 }, "msgpack");
    deepStrictEqual(decodeServerFrame(doc, "msgpack"), {
      type: "document",
      seq: 1,
      name: "start",
      doc: { uid: "u", time: 1 },
    });
    const gap = { type: "gap", missed: 3, next: 9, reason: "evicted", message: "m" } as const;
    deepStrictEqual(decodeServerFrame(encodeNoticeFrame(gap, "msgpack"), "msgpack"), gap);
    const live = { type: "live", next: 9 } as const;
    deepStrictEqual(decodeServerFrame(encodeNoticeFrame(live, "json"), "json"), live);
  });

  it("rejects frames of unknown shape", () => {
    throws(
      () => decodeServerFrame('{"type":"document","seq":1,"name":"nope","doc":{}}', "json"),
      BusDecodeError,
    );
  });

  it("reads the connection query, defaulting to JSON and the current run", () => {
    deepStrictEqual(parseSubscriptionRequest(new URLSearchParams("")), {
      format: "json",
      from: { kind: "run" },
    });
    deepStrictEqual(parseSubscriptionRequest(new URLSearchParams("format=msgpack&since=12")), {
      format: "msgpack",
      from: { kind: "since", seq: 12 },
    });
    strictEqual(
      subscriptionQuery({ format: "json", from: { kind: "none" } }),
      "?format=json&replay=none",
    );
    throws(() => parseSubscriptionRequest(new URLSearchParams("replay=yesterday")), BusConfigError);
    const resume = { kind: "since", seq: 12, epoch: "3f2c-a1" } as const;
    deepStrictEqual(parseSubscriptionRequest(new URLSearchParams("since=12&epoch=3f2c-a1")), {
      format: "json",
      from: resume,
    });
    strictEqual(subscriptionQuery({ from: resume }), "?since=12&epoch=3f2c-a1");
    throws(
      () => parseSubscriptionRequest(new URLSearchParams("since=3&epoch=a%20b")),
      BusConfigError,
    );
    throws(() => parseSubscriptionRequest(new URLSearchParams("since=0")), BusConfigError);
    throws(() => parseSubscriptionRequest(new URLSearchParams("format=xml")), BusConfigError);
  });
});
