// Finds holes in a document stream from the documents alone, for transports that carry no
// message sequence numbers (bluesky's ZeroMQ framing, which Python peers expect unchanged).
// Events count 1, 2, 3... per stream of a run (seq_num), and the stop document says how many
// events each stream had (num_events): a forward jump or a shortfall means events were lost.
// A seq_num going back is not a loss (bluesky rewinds after a pause). Runs whose start was not
// seen (a subscriber joining mid-run) are not checked. Sans-IO.
import type { NamedDocument } from "@cerulean/event-model";
import type { DocumentGap } from "./document-bus.ts";

interface RunTrack {
  /** Highest seq_num seen per stream name. */
  lastSeq: Map<string, number>;
}

/** Watches documents for evidence of loss; see the file comment for what it can see. */
export class GapDetector {
  readonly #runs = new Map<string, RunTrack>();
  /** descriptor uid -> [run uid, stream name] */
  readonly #descriptors = new Map<string, [string, string]>();

  /** Looks at the next document; returns a gap when the stream shows one before or at it. */
  observe(...[name, doc]: NamedDocument): DocumentGap | undefined {
    switch (name) {
      case "start":
        this.#runs.set(doc.uid, { lastSeq: new Map() });
        return undefined;
      case "descriptor":
        if (this.#runs.has(doc.run_start)) {
          this.#descriptors.set(doc.uid, [doc.run_start, doc.name ?? "primary"]);
        }
        return undefined;
      case "event":
        return this.#seq(doc.descriptor, doc.seq_num, doc.seq_num);
      case "event_page":
        return this.#seq(doc.descriptor, doc.seq_num[0], doc.seq_num.at(-1));
      case "stop":
        return this.#stop(doc.run_start, doc.num_events ?? {});
      default:
        return undefined;
    }
  }

  /** Forgets every run: after a loss the transport has reported itself, expectations restart. */
  reset(): void {
    this.#runs.clear();
    this.#descriptors.clear();
  }

  #seq(
    descriptor: string,
    first: number | undefined,
    last: number | undefined,
  ): DocumentGap | undefined {
    const known = this.#descriptors.get(descriptor);
    if (!known || first === undefined || last === undefined) return undefined;
    const [runUid, stream] = known;
    const run = this.#runs.get(runUid);
    if (!run) return undefined;
    const previous = run.lastSeq.get(stream) ?? 0;
    run.lastSeq.set(stream, last);
    if (first <= previous + 1) return undefined;
    const missed = first - previous - 1;
    return {
      reason: "content",
      missed,
      message: `missed ${missed} event${missed === 1 ? "" : "s"} of stream "${stream}" in run ${runUid}: seq_num went from ${previous} to ${first}`,
    };
  }

  #stop(runUid: string, numEvents: Record<string, number>): DocumentGap | undefined {
    const run = this.#runs.get(runUid);
    if (!run) return undefined;
    this.#runs.delete(runUid);
    for (const [uid, [owner]] of this.#descriptors) {
      if (owner === runUid) this.#descriptors.delete(uid);
    }
    const short: string[] = [];
    let missed = 0;
    for (const [stream, expected] of Object.entries(numEvents)) {
      const seen = run.lastSeq.get(stream) ?? 0;
      if (expected > seen) {
        missed += expected - seen;
        short.push(`"${stream}" ended at seq_num ${seen} of ${expected}`);
      }
    }
    if (missed === 0) return undefined;
    return {
      reason: "content",
      missed,
      message: `missed ${missed} event${missed === 1 ? "" : "s"} of run ${runUid}: the stop document counts more events than arrived (${short.join(", ")})`,
    };
  }
}
