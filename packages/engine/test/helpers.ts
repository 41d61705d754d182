// Shared test helpers: an engine that records its documents, and stream assertions.
import assert from "node:assert/strict";
import type { Document, DocumentName } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { RunEngine, type RunEngineOptions } from "../src/index.ts";

/** A document as recorded: `[name, doc]`. */
export type Recorded = [DocumentName, Record<string, unknown>];

/** A RunEngine with a recorder of every document, and the warnings it logged. */
export function recordingEngine(options: RunEngineOptions = {}): {
  RE: RunEngine;
  docs: Recorded[];
  warnings: string[];
} {
  const warnings: string[] = [];
  const RE = new RunEngine({
    log: { info: () => {}, warn: (message) => warnings.push(message) },
    input: async () => "",
    ...options,
  });
  const docs: Recorded[] = [];
  RE.subscribe((name: DocumentName, doc: Document) => {
    docs.push([name, doc as unknown as Record<string, unknown>]);
  });
  return { RE, docs, warnings };
}

/** The names of the documents, in order (events and pages as they came). */
export function names(docs: readonly Recorded[]): string[] {
  return docs.map(([name]) => name);
}

/** The documents named `name`. */
export function docsNamed(
  docs: readonly Recorded[],
  name: DocumentName,
): Record<string, unknown>[] {
  return docs.filter(([n]) => n === name).map(([, d]) => d);
}

/**
 * Asserts the stream is schema-valid, every start has exactly one stop (after it), each stop's
 * num_events matches the event rows emitted per stream, and returns the stops.
 */
export function assertWellFormed(docs: readonly Recorded[]): Record<string, unknown>[] {
  assertValidStream(docs);
  const starts = docsNamed(docs, "start");
  const stops = docsNamed(docs, "stop");
  assert.equal(stops.length, starts.length, "one stop per start");
  const descriptorStream = new Map<string, { run: string; name: string }>();
  for (const d of docsNamed(docs, "descriptor")) {
    descriptorStream.set(d["uid"] as string, {
      run: d["run_start"] as string,
      name: d["name"] as string,
    });
  }
  const rows = new Map<string, Map<string, Set<number>>>();
  const addRows = (descriptor: string, seqNums: number[]) => {
    const where = descriptorStream.get(descriptor);
    assert.ok(where, `event of unknown descriptor ${descriptor}`);
    let perRun = rows.get(where.run);
    if (!perRun) {
      perRun = new Map();
      rows.set(where.run, perRun);
    }
    let seqs = perRun.get(where.name);
    if (!seqs) {
      seqs = new Set();
      perRun.set(where.name, seqs);
    }
    for (const s of seqNums) seqs.add(s);
  };
  for (const [name, doc] of docs) {
    if (name === "event") addRows(doc["descriptor"] as string, [doc["seq_num"] as number]);
    if (name === "event_page") addRows(doc["descriptor"] as string, doc["seq_num"] as number[]);
  }
  for (const start of starts) {
    const uid = start["uid"] as string;
    const stopIndex = docs.findIndex(([n, d]) => n === "stop" && d["run_start"] === uid);
    const startIndex = docs.findIndex(([n, d]) => n === "start" && d["uid"] === uid);
    assert.ok(stopIndex > startIndex, `run ${uid} has a stop after its start`);
    const stop = docs[stopIndex]?.[1] ?? {};
    const numEvents = (stop["num_events"] ?? {}) as Record<string, number>;
    for (const [stream, seqs] of rows.get(uid) ?? new Map<string, Set<number>>()) {
      // Re-done events (after a rewind) reuse seq_nums, so distinct seq_nums are what count.
      if (seqs.size > 0)
        assert.equal(numEvents[stream], Math.max(...seqs), `num_events of "${stream}"`);
    }
    // No document of the run after its stop.
    const after = docs.slice(stopIndex + 1).filter(([, d]) => d["run_start"] === uid);
    assert.deepEqual(after, [], "no document of a run after its stop");
  }
  return stops;
}

/** Waits `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The value at `path` inside a document (undefined when any step is missing). */
export function at(doc: unknown, ...path: string[]): unknown {
  let value = doc;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
