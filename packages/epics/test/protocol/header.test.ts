import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  encodeMessage,
  type FramedMessage,
  MessageReader,
  splitDatagram,
} from "../../src/protocol/header.ts";
import { hex, toHex } from "./fixtures.ts";

const readNotify = { command: 15, dataType: 20, count: 1, parameter1: 7, parameter2: 42 };

describe("message headers", () => {
  test("a standard header is 16 big-endian bytes and the payload is padded to 8", () => {
    const bytes = encodeMessage(
      { command: 6, dataType: 5, count: 13, parameter1: 1, parameter2: 1 },
      hex("61 62 00"),
    );
    assert.equal(
      toHex(bytes),
      toHex(hex("0006 0008 0005 000d 00000001 00000001 6162000000000000")),
    );
  });

  test("a payload of 64 KiB or more uses the extended header with 32-bit size and count", () => {
    const payload = new Uint8Array(0x10000);
    const bytes = encodeMessage({ ...readNotify, count: 8192 }, payload);
    assert.equal(bytes.length, 24 + 0x10000);
    assert.equal(
      toHex(bytes.subarray(0, 24)),
      toHex(hex("000f ffff 0014 0000 00000007 0000002a 00010000 00002000")),
    );
  });

  test("a count over 65535 also uses the extended header", () => {
    const bytes = encodeMessage({ ...readNotify, count: 70000 });
    assert.equal(
      toHex(bytes.subarray(0, 24)),
      toHex(hex("000f ffff 0014 0000 00000007 0000002a 00000000 00011170")),
    );
  });
});

describe("framing a TCP stream", () => {
  const messages = [
    encodeMessage(readNotify),
    encodeMessage({ ...readNotify, parameter2: 43 }, new Uint8Array(24).fill(7)),
    encodeMessage({ ...readNotify, count: 9000 }, new Uint8Array(72000).fill(1)),
    encodeMessage({ command: 23, dataType: 0, count: 0, parameter1: 0, parameter2: 0 }),
  ];
  const stream = Buffer.concat(messages);

  function collect(reader: MessageReader, chunks: Uint8Array[]): FramedMessage[] {
    return chunks.flatMap((chunk) => reader.push(chunk));
  }

  test("messages come out whole however the stream is cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }),
        (cuts) => {
          const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), stream.length];
          const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
          const out = collect(new MessageReader(1 << 20), chunks);
          assert.deepEqual(
            out.map((m) =>
              "payload" in m ? [m.command, m.count, m.parameter2, m.payload.length] : [],
            ),
            [
              [15, 1, 42, 0],
              [15, 1, 43, 24],
              [15, 9000, 42, 72000],
              [23, 0, 0, 0],
            ],
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  test("an oversized payload is skipped as it streams in, and what follows still parses", () => {
    const reader = new MessageReader(1024);
    const chunks = [stream.subarray(0, 100), stream.subarray(100, 5000), stream.subarray(5000)];
    const out = collect(reader, chunks);
    assert.equal(out.length, 4);
    const big = out[2];
    assert.ok(big && "oversized" in big, "the 72000-byte message is reported as oversized");
    assert.equal(big.payloadSize, 72000);
    assert.equal(reader.buffered, 0);
    assert.equal(out[3]?.command, 23);
  });
});

describe("splitting a UDP datagram", () => {
  test("a truncated tail is reported and the whole messages before it are kept", () => {
    const datagram = Buffer.concat([
      encodeMessage(readNotify),
      encodeMessage(readNotify, new Uint8Array(16)),
    ]);
    const { messages, truncated } = splitDatagram(datagram.subarray(0, datagram.length - 3));
    assert.equal(messages.length, 1);
    assert.equal(truncated, true);
  });

  test("garbage shorter than a header yields nothing", () => {
    assert.deepEqual(splitDatagram(hex("ff ff ff")), { messages: [], truncated: true });
  });
});
