import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Document, DocumentName } from "@cerulean/event-model";
import { Dispatcher, PlanArgumentError } from "../../src/index.ts";

const start = { uid: "u", time: 0 } as unknown as Document;

describe("dispatcher", () => {
  test("subscribers get documents by name; 'all' gets everything, in subscription order", () => {
    const d = new Dispatcher();
    const seen: string[] = [];
    d.subscribe((name, _doc) => {
      seen.push(`all:${name}`);
    });
    d.subscribe((name, _doc) => {
      seen.push(`start:${name}`);
    }, "start");
    d.process("start", start);
    d.process("stop", start);
    assert.deepEqual(seen, ["all:start", "start:start", "all:stop"]);
  });

  test("unsubscribe stops delivery; unknown tokens are ignored", () => {
    const d = new Dispatcher();
    const seen: DocumentName[] = [];
    const token = d.subscribe((name, _doc) => {
      seen.push(name);
    });
    d.unsubscribe(token);
    d.unsubscribe(999);
    d.process("start", start);
    assert.deepEqual(seen, []);
  });

  test("a throwing subscriber does not starve the others; the first error is rethrown", () => {
    const d = new Dispatcher();
    const seen: number[] = [];
    d.subscribe(() => {
      throw new Error("first");
    });
    d.subscribe(() => {
      throw new Error("second");
    });
    d.subscribe(() => {
      seen.push(1);
    });
    assert.throws(() => d.process("start", start), /first/);
    assert.deepEqual(seen, [1]);
  });

  test("with ignoreExceptions errors are reported instead", () => {
    const d = new Dispatcher();
    const reported: string[] = [];
    d.ignoreExceptions = true;
    d.reportError = (err, name) => reported.push(`${name}: ${(err as Error).message}`);
    d.subscribe(() => {
      throw new Error("oops");
    });
    d.process("start", start);
    assert.deepEqual(reported, ["start: oops"]);
  });

  test("bad names and non-functions are refused", () => {
    const d = new Dispatcher();
    assert.throws(() => d.subscribe(() => {}, "evnt" as "event"), PlanArgumentError);
    assert.throws(() => d.subscribe("nope" as never), PlanArgumentError);
  });
});
