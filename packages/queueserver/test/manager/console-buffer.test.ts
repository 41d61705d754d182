// The console ring is bounded in bytes as well as in messages: a worker printing 64 KB chunks
// cannot grow the manager's memory past the bound.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConsoleBuffer } from "../../src/manager/console-buffer.ts";

const bytesHeld = (buffer: ConsoleBuffer) =>
  buffer.since("ALL").console_output_msgs.reduce((n, m) => n + Buffer.byteLength(m.msg), 0);

describe("console buffer", () => {
  it("drops the oldest messages past the byte bound, under the message count", () => {
    const buffer = new ConsoleBuffer();
    const chunk = (i: number) => `${String(i).padStart(6, "0")}${"x".repeat(64 * 1024 - 7)}\n`;
    for (let i = 0; i < 200; i++) buffer.push(chunk(i));
    const held = buffer.since("ALL").console_output_msgs;
    assert.ok(bytesHeld(buffer) <= 2 * 1024 * 1024, `${bytesHeld(buffer)} bytes held`);
    assert.ok(held.length > 0 && held.length < 200);
    assert.equal(held.at(-1)?.msg, chunk(199), "the newest message is whole");
    assert.equal(held[0]?.msg, chunk(200 - held.length), "what is held is contiguous");
  });

  it("keeps the uid protocol: a held uid gives what follows, a dropped uid gives nothing", () => {
    const buffer = new ConsoleBuffer(2000, 1000);
    buffer.push("a".repeat(400));
    const dropped = buffer.since("ALL").last_msg_uid;
    buffer.push("b".repeat(400));
    const held = buffer.since("ALL").last_msg_uid;
    buffer.push("c".repeat(400));
    const after = buffer.since(held);
    assert.deepEqual(
      after.console_output_msgs.map((m) => m.msg),
      ["c".repeat(400)],
    );
    assert.equal(after.last_msg_uid, buffer.since("ALL").last_msg_uid);
    assert.deepEqual(buffer.since(dropped).console_output_msgs, []);
    assert.equal(buffer.since("ALL").console_output_msgs.length, 2);
  });

  it("keeps the end of a single message larger than the bound, saying what was dropped", () => {
    const buffer = new ConsoleBuffer(2000, 3000);
    buffer.push("old\n");
    const huge = `${"a".repeat(10_000)}\nthe end\n`;
    buffer.push(huge);
    const held = buffer.since("ALL").console_output_msgs;
    const msg = held.at(-1)?.msg ?? "";
    assert.ok(bytesHeld(buffer) <= 3000);
    assert.match(msg, /^\[\.\.\. \d+ characters of console output dropped \.\.\.\]\n/);
    assert.ok(msg.endsWith("the end\n"));
    assert.equal(buffer.text(1), "the end\n");
    // Multi-byte text is cut between characters, never inside a surrogate pair.
    const emoji = new ConsoleBuffer(2000, 301);
    emoji.push("😀".repeat(500));
    const kept = emoji.since("ALL").console_output_msgs[0]?.msg ?? "";
    assert.ok(Buffer.byteLength(kept) <= 301);
    assert.ok(kept.endsWith("😀") && !kept.includes("\uFFFD"));
    assert.ok(/\]\n(😀)+$/u.test(kept), "only whole characters after the note");
  });
});
