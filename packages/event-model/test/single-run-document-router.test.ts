import assert from "node:assert/strict";
import { test } from "node:test";
import { EventModelError, EventModelValueError } from "../src/errors.ts";
import type { Event } from "../src/schemas/event.ts";
import { SingleRunDocumentRouter } from "../src/single-run-document-router.ts";
import { sampleRun } from "./helpers/sample-run.ts";

test("SingleRunDocumentRouter keeps the run's start and descriptors (upstream statement 17)", () => {
  const run = sampleRun();
  const router = new SingleRunDocumentRouter();
  assert.throws(() => router.getStart(), EventModelError);
  router.route("start", run.start);
  assert.equal(router.getStart(), run.start);
  router.route("descriptor", run.primary);
  router.route("descriptor", run.baseline);
  router.route("resource", run.resource);
  router.route("datum", run.datums[0]!);

  assert.throws(() => router.getDescriptor(run.resource), EventModelValueError);
  assert.throws(() => router.getDescriptor(run.datums[0]!), /has no "descriptor" field/);
  const event = run.primaryEvents[0]!;
  assert.equal(router.getDescriptor(event), run.primary);
  assert.equal(router.getStreamName(event), "primary");
  assert.equal(router.getStreamName(run.baselineEvents[0]!), "baseline");

  const stranger: Event = { ...event, descriptor: "unseen" };
  assert.throws(() => router.getDescriptor(stranger), /descriptor unseen has not been received/);
  assert.throws(() => router.getStreamName(stranger), EventModelValueError);

  assert.throws(() => router.route("start", sampleRun().start), /second start/);
  const other = sampleRun();
  assert.throws(
    () => router.route("descriptor", other.primary),
    (e: Error) => e instanceof EventModelValueError && e.message.includes(other.start.uid),
  );
});

test("methods of a subclass can ask for the start and stream of what they receive", () => {
  const streams: string[] = [];
  class Streams extends SingleRunDocumentRouter {
    override event(doc: Event) {
      streams.push(`${this.getStart().uid}:${this.getStreamName(doc)}`);
    }
  }
  const run = sampleRun();
  const router = new Streams();
  for (const [name, doc] of run.docs) router.route(name, doc);
  assert.deepStrictEqual(streams, [
    `${run.start.uid}:baseline`,
    `${run.start.uid}:primary`,
    `${run.start.uid}:primary`,
    `${run.start.uid}:baseline`,
  ]);
});
