import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeBlueskyFrame,
  encodeBlueskyFrame,
  prefixBytes,
} from "../../src/codec/bluesky-zmq-frame.ts";
import { BusConfigError, BusDecodeError } from "../../src/errors.ts";
import { PY_START_MSGPACK } from "./python-fixtures.ts";

describe("bluesky's ZeroMQ frame: prefix SP name SP body", () => {
  it("starts with a space when there is no prefix, as b' '.join([b'', name, body]) does", () => {
    const frame = encodeBlueskyFrame(prefixBytes(undefined), "start", PY_START_MSGPACK);
    deepStrictEqual(frame, Buffer.concat([Buffer.from(" start "), PY_START_MSGPACK]));
  });

  it("splits on the first two spaces only, so the body may contain spaces", () => {
    const body = Buffer.from("a b c");
    const {
      prefix,
      name,
      body: out,
    } = decodeBlueskyFrame(encodeBlueskyFrame(prefixBytes("bl1"), "event", body));
    strictEqual(Buffer.from(prefix).toString(), "bl1");
    strictEqual(name, "event");
    deepStrictEqual(Buffer.from(out), body);
  });

  it("refuses a prefix with a space, like bluesky", () => {
    throws(() => prefixBytes("two words"), BusConfigError);
  });

  it("reports a message that is not three parts", () => {
    throws(() => decodeBlueskyFrame(Buffer.from("nospaces")), BusDecodeError);
  });
});
