import type { DocumentCallback, DocumentMap, DocumentName } from "./documents.ts";
import { EventModelValidationError } from "./errors.ts";
import type { Event, EventPage } from "./schemas/event.ts";
import type { EventDescriptor } from "./schemas/event-descriptor.ts";
import type { Datum, DatumPage, Resource } from "./schemas/resource.ts";
import type { RunStart } from "./schemas/run-start.ts";
import type { RunStop } from "./schemas/run-stop.ts";
import type { StreamDatum, StreamRange, StreamResource } from "./schemas/stream.ts";

export interface DocumentOrderValidatorOptions {
  /** Allow runs to interleave (a bus carrying several runs); default false: one run at a time. */
  concurrentRuns?: boolean;
}

interface RunCheck {
  uid: string;
  stopped: boolean;
  /** Per stream name: the next seq_num, the last stream_datum range and the data keys. */
  streams: Map<string, { next: number; lastRange?: StreamRange; keys: string }>;
  datums: Set<string>;
}

interface DescriptorCheck {
  run: RunCheck;
  stream: string;
}

/**
 * Checks the ordering rules of a document stream that event-model leaves implicit: one start
 * first, each descriptor/resource/stream_resource before the documents that refer to them, datums
 * before the events using them, seq_num counting up from 1 per stream (stream_datum ranges
 * included), stop last and once with matching num_events, nothing after it. Throws
 * EventModelValidationError naming the document, the field and the rule.
 */
export class DocumentOrderValidator {
  readonly callback: DocumentCallback;
  readonly #concurrent: boolean;
  readonly #runs = new Map<string, RunCheck>();
  readonly #descriptors = new Map<string, DescriptorCheck>();
  readonly #resources = new Map<string, RunCheck | null>();
  readonly #streamResources = new Map<string, RunCheck | null>();
  readonly #orphanDatums = new Set<string>();

  constructor(options: DocumentOrderValidatorOptions = {}) {
    this.#concurrent = options.concurrentRuns ?? false;
    this.callback = ((name: DocumentName, doc: DocumentMap[DocumentName]) =>
      this.check(name, doc)) as DocumentCallback;
  }

  /** The start uids of runs that have not stopped. */
  get openRuns(): string[] {
    return [...this.#runs.values()].filter((r) => !r.stopped).map((r) => r.uid);
  }

  /** Throws unless every run that started has stopped. */
  assertComplete(): void {
    const open = this.openRuns;
    if (open.length > 0) {
      fail("stop", "", `the stream ended with run(s) ${open.join(", ")} still open (no stop)`);
    }
  }

  /** Checks one document against everything seen so far, then records it. */
  check<K extends DocumentName>(name: K, doc: DocumentMap[K]): void {
    switch (name) {
      case "start":
        this.#start(doc as RunStart);
        return;
      case "descriptor":
        this.#descriptor(doc as EventDescriptor);
        return;
      case "event": {
        const e = doc as Event;
        this.#rows("event", e.descriptor, [e.seq_num], e.data, e.filled, e.uid, false);
        return;
      }
      case "event_page": {
        const p = doc as EventPage;
        this.#rows("event_page", p.descriptor, p.seq_num, p.data, p.filled, p.uid[0], true);
        return;
      }
      case "resource":
        this.#resource(doc as Resource);
        return;
      case "datum": {
        const d = doc as Datum;
        this.#datums("datum", d.resource, [d.datum_id]);
        return;
      }
      case "datum_page": {
        const d = doc as DatumPage;
        this.#datums("datum_page", d.resource, d.datum_id);
        return;
      }
      case "stream_resource":
        this.#streamResource(doc as StreamResource);
        return;
      case "stream_datum":
        this.#streamDatum(doc as StreamDatum);
        return;
      case "stop":
        this.#stop(doc as RunStop);
        return;
    }
    fail(String(name), "", `unknown document name ${JSON.stringify(name)}`);
  }

  #start(start: RunStart): void {
    if (this.#runs.has(start.uid)) {
      fail("start", "/uid", `a second start with uid ${start.uid}; each run starts once`);
    }
    const open = this.openRuns;
    if (!this.#concurrent && open.length > 0) {
      fail(
        "start",
        "/uid",
        `start ${start.uid} arrived while run ${open[0]} is still open; its stop must come first (or allow concurrentRuns)`,
      );
    }
    this.#runs.set(start.uid, {
      uid: start.uid,
      stopped: false,
      streams: new Map(),
      datums: new Set(),
    });
  }

  #openRun(runStart: string, doc: string, what: string): RunCheck {
    const run = this.#runs.get(runStart);
    if (run === undefined) {
      fail(
        doc,
        "/run_start",
        `${what} refers to run ${runStart}, which has not started; the start must come first`,
      );
    }
    if (run.stopped) fail(doc, "/run_start", `${what} arrived after the stop of run ${runStart}`);
    return run;
  }

  #descriptor(descriptor: EventDescriptor): void {
    const what = `descriptor ${descriptor.uid}`;
    const run = this.#openRun(descriptor.run_start, "descriptor", what);
    if (this.#descriptors.has(descriptor.uid)) {
      fail("descriptor", "/uid", `${what} was already received`);
    }
    const stream = descriptor.name ?? "";
    const keys = Object.keys(descriptor.data_keys).sort().join(",");
    const known = run.streams.get(stream);
    if (known && known.keys !== keys) {
      fail(
        "descriptor",
        "/data_keys",
        `${what} of stream "${stream}" has data keys [${keys}] but an earlier descriptor of that stream has [${known.keys}]`,
      );
    }
    if (!known) run.streams.set(stream, { next: 1, keys });
    this.#descriptors.set(descriptor.uid, { run, stream });
  }

  #descriptorOf(uid: string, doc: string, what: string): DescriptorCheck {
    const descriptor = this.#descriptors.get(uid);
    if (descriptor === undefined) {
      fail(
        doc,
        "/descriptor",
        `${what} refers to descriptor ${uid}, which has not been received; a descriptor must come before the documents that use it`,
      );
    }
    if (descriptor.run.stopped) {
      fail(doc, "/descriptor", `${what} arrived after the stop of run ${descriptor.run.uid}`);
    }
    return descriptor;
  }

  #rows(
    doc: "event" | "event_page",
    descriptorUid: string,
    seqNums: readonly number[],
    data: Record<string, unknown>,
    filled: Record<string, unknown> | undefined,
    firstUid: string | undefined,
    isPage: boolean,
  ): void {
    const what = `${doc} ${firstUid ?? "(empty)"}`;
    const { run, stream } = this.#descriptorOf(descriptorUid, doc, what);
    const counter = run.streams.get(stream)!;
    seqNums.forEach((seqNum, i) => {
      if (seqNum !== counter.next + i) {
        fail(
          doc,
          isPage ? `/seq_num/${i}` : "/seq_num",
          `${what} of stream "${stream}" has seq_num ${seqNum} where ${counter.next + i} was expected (seq_num counts up from 1 in each stream)`,
        );
      }
    });
    counter.next += seqNums.length;
    for (const [key, flags] of Object.entries(filled ?? {})) {
      const rows = isPage ? (flags as unknown[]) : [flags];
      const values = isPage ? (data[key] as unknown[] | undefined) : [data[key]];
      rows.forEach((flag, i) => {
        const datumId = values?.[i];
        if (flag !== false || typeof datumId !== "string") return;
        if (!run.datums.has(datumId) && !this.#orphanDatums.has(datumId)) {
          fail(
            doc,
            isPage ? `/data/${key}/${i}` : `/data/${key}`,
            `${what}: data key "${key}" refers to datum "${datumId}", which has not been received; a datum must come before the events that use it`,
          );
        }
      });
    }
  }

  #resource(resource: Resource): void {
    if (this.#resources.has(resource.uid)) {
      fail("resource", "/uid", `resource ${resource.uid} was already received`);
    }
    const run =
      resource.run_start === undefined
        ? null
        : this.#openRun(resource.run_start, "resource", `resource ${resource.uid}`);
    this.#resources.set(resource.uid, run);
  }

  #datums(doc: "datum" | "datum_page", resourceUid: string, ids: readonly string[]): void {
    const what = `${doc} ${ids[0] ?? "(empty)"}`;
    const run = this.#resources.get(resourceUid);
    if (run === undefined) {
      fail(
        doc,
        "/resource",
        `${what} refers to resource ${resourceUid}, which has not been received; a resource must come before its datums`,
      );
    }
    if (run?.stopped) fail(doc, "/resource", `${what} arrived after the stop of run ${run.uid}`);
    const target = run ? run.datums : this.#orphanDatums;
    ids.forEach((id, i) => {
      if (target.has(id))
        fail(
          doc,
          doc === "datum" ? "/datum_id" : `/datum_id/${i}`,
          `datum ${id} was already received`,
        );
      target.add(id);
    });
  }

  #streamResource(sr: StreamResource): void {
    if (this.#streamResources.has(sr.uid)) {
      fail("stream_resource", "/uid", `stream_resource ${sr.uid} was already received`);
    }
    const run =
      sr.run_start === undefined
        ? null
        : this.#openRun(sr.run_start, "stream_resource", `stream_resource ${sr.uid}`);
    this.#streamResources.set(sr.uid, run);
  }

  #streamDatum(sd: StreamDatum): void {
    const what = `stream_datum ${sd.uid}`;
    const owner = this.#streamResources.get(sd.stream_resource);
    if (owner === undefined) {
      fail(
        "stream_datum",
        "/stream_resource",
        `${what} refers to stream_resource ${sd.stream_resource}, which has not been received; it must come before its stream datums`,
      );
    }
    const { run, stream } = this.#descriptorOf(sd.descriptor, "stream_datum", what);
    if (owner !== null && owner !== run) {
      fail(
        "stream_datum",
        "/descriptor",
        `${what}: its stream_resource belongs to run ${owner.uid} but its descriptor to run ${run.uid}`,
      );
    }
    const { indices, seq_nums } = sd;
    if (seq_nums.stop - seq_nums.start !== indices.stop - indices.start) {
      fail(
        "stream_datum",
        "/seq_nums",
        `${what}: seq_nums [${seq_nums.start}, ${seq_nums.stop}) and indices [${indices.start}, ${indices.stop}) must cover the same number of rows`,
      );
    }
    const counter = run.streams.get(stream)!;
    const last = counter.lastRange;
    const sameBlock =
      last !== undefined && last.start === seq_nums.start && last.stop === seq_nums.stop;
    if (sameBlock) return;
    if (seq_nums.start !== counter.next) {
      fail(
        "stream_datum",
        "/seq_nums/start",
        `${what} of stream "${stream}" starts at seq_num ${seq_nums.start} where ${counter.next} was expected (it continues the stream's count)`,
      );
    }
    counter.next = seq_nums.stop;
    counter.lastRange = { start: seq_nums.start, stop: seq_nums.stop };
  }

  #stop(stop: RunStop): void {
    const run = this.#openRun(stop.run_start, "stop", `stop ${stop.uid}`);
    run.stopped = true;
    run.datums.clear();
    if (stop.num_events === undefined) return;
    for (const [stream, counter] of run.streams) {
      const counted = counter.next - 1;
      const claimed = stop.num_events[stream];
      if (claimed !== counted) {
        fail(
          "stop",
          `/num_events/${stream}`,
          `stop ${stop.uid} says ${claimed ?? "nothing"} for stream "${stream}", but ${counted} event rows were received`,
        );
      }
    }
    for (const stream of Object.keys(stop.num_events)) {
      if (!run.streams.has(stream)) {
        fail(
          "stop",
          `/num_events/${stream}`,
          `stop ${stop.uid} counts events of stream "${stream}", which had no descriptor`,
        );
      }
    }
  }
}

function fail(doc: string, path: string, message: string): never {
  throw new EventModelValidationError(doc, [{ path, message }]);
}
