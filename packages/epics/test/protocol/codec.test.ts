import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  decodeClientMessage,
  decodeServerMessage,
  encodeClientMessage,
  encodeServerMessage,
} from "../../src/protocol/codec.ts";
import { splitDatagram } from "../../src/protocol/header.ts";
import type { ClientMessage, ServerMessage } from "../../src/protocol/messages.ts";
import { field, hex, toHex } from "./fixtures.ts";

function one(bytes: Uint8Array) {
  const { messages } = splitDatagram(bytes);
  assert.equal(messages.length, 1);
  return messages[0]!;
}

describe("client messages", () => {
  const fixtures: Array<[string, ClientMessage, string]> = [
    [
      "version with priority and minor version",
      { type: "version", priority: 0, minorVersion: 13 },
      "0000 0000 0000 000d 00000000 00000000",
    ],
    [
      "search: reply flag, version, the cid twice, the padded name",
      { type: "search", cid: 1, name: "SIM:det", reply: false, minorVersion: 13 },
      `0006 0008 0005 000d 00000001 00000001 ${field("SIM:det", 8)}`,
    ],
    [
      "create channel: cid and client version",
      { type: "createChan", cid: 9, name: "x", minorVersion: 13 },
      `0012 0008 0000 0000 00000009 0000000d ${field("x", 8)}`,
    ],
    [
      "event add: three floats, then the mask",
      {
        type: "eventAdd",
        dataType: 20,
        count: 1,
        sid: 3,
        subscriptionId: 4,
        mask: 5,
        low: 0,
        high: 0,
        to: 0,
      },
      "0001 0010 0014 0001 00000003 00000004 00000000 00000000 00000000 0005 0000",
    ],
    [
      "write with notification carries the data",
      {
        type: "writeNotify",
        dataType: 6,
        count: 1,
        sid: 3,
        ioid: 8,
        data: hex("3ff0000000000000"),
      },
      "0013 0008 0006 0001 00000003 00000008 3ff0000000000000",
    ],
    ["echo", { type: "echo" }, "0017 0000 0000 0000 00000000 00000000"],
  ];
  for (const [name, message, bytes] of fixtures) {
    test(name, () => {
      assert.equal(toHex(encodeClientMessage(message)), toHex(hex(bytes)));
      assert.deepEqual(decodeClientMessage(one(hex(bytes))), message);
    });
  }

  test("an unknown command decodes as unknown, with its header", () => {
    const decoded = decodeClientMessage(one(hex("00c8 0000 0001 0002 00000003 00000004")));
    assert.deepEqual(decoded, {
      type: "unknown",
      header: { command: 200, dataType: 1, count: 2, parameter1: 3, parameter2: 4 },
    });
  });
});

describe("server messages", () => {
  const fixtures: Array<[string, ServerMessage, string]> = [
    [
      "search reply: TCP port in the type field, 'use the sender' address, cid, version payload",
      { type: "searchReply", port: 5064, serverAddress: 0xffffffff, cid: 1, minorVersion: 13 },
      "0006 0008 13c8 0000 ffffffff 00000001 000d 000000000000",
    ],
    [
      "beacon: version, port in the count field, id, address",
      { type: "beacon", minorVersion: 13, port: 5064, beaconId: 7, address: 0x7f000001 },
      "000d 0000 000d 13c8 00000007 7f000001",
    ],
    [
      "create channel reply: native type and count, cid, sid",
      { type: "createChanReply", cid: 9, sid: 1, dataType: 6, count: 1 },
      "0012 0000 0006 0001 00000009 00000001",
    ],
    [
      "access rights: read and write",
      { type: "accessRights", cid: 9, rights: 3 },
      "0016 0000 0000 0000 00000009 00000003",
    ],
    [
      "write notify reply: the ECA status and the ioid",
      { type: "writeNotifyReply", dataType: 6, count: 1, status: 1, ioid: 8 },
      "0013 0000 0006 0001 00000001 00000008",
    ],
    [
      "error: cid, status, the request's header and a message",
      {
        type: "error",
        cid: 9,
        status: 376,
        request: { command: 4, dataType: 6, count: 1, parameter1: 3, parameter2: 0 },
        message: "ro",
      },
      "000b 0018 0000 0000 00000009 00000178 0004 0000 0006 0001 00000003 00000000 726f0000 00000000",
    ],
  ];
  for (const [name, message, bytes] of fixtures) {
    test(name, () => {
      assert.equal(toHex(encodeServerMessage(message)), toHex(hex(bytes)));
      assert.deepEqual(decodeServerMessage(one(hex(bytes))), message);
    });
  }

  test("an event-add message without payload is the confirmation of a cancel", () => {
    const decoded = decodeServerMessage(one(hex("0001 0000 0014 0001 00000003 00000004")));
    assert.deepEqual(decoded, {
      type: "eventCancelReply",
      dataType: 20,
      count: 1,
      sid: 3,
      subscriptionId: 4,
    });
  });
});
