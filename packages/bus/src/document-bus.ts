// The narrow interfaces every bus transport (ZeroMQ, Redis Streams, WebSocket) implements, so
// that producers and consumers are written once and the transports tested with one contract.
import type { DocumentCallback, NamedDocument } from "@cerulean/event-model";

/** How a document is encoded on the wire: msgpack (default) or JSON (Python-compatible). */
export type WireFormat = "msgpack" | "json";

/** Why documents were missed. */
export type GapReason =
  /** The consumer fell behind and a bounded buffer overflowed. */
  | "slow-consumer"
  /** The documents were evicted from a bounded history (WebSocket log) before being sent. */
  | "evicted"
  /** The documents were trimmed from a Redis stream (MAXLEN) before being read. */
  | "trimmed"
  /** Message sequence numbers jumped. */
  | "sequence"
  /** The documents themselves show a hole (event seq_num jump, stop num_events not reached). */
  | "content"
  /** A message could not be decoded into a document. */
  | "undecodable"
  /** The server restarted: what it sent before is gone and its seqs started again. */
  | "restarted";

/** A notice that documents were missed: never silent, always counted when the count is known. */
export interface DocumentGap {
  reason: GapReason;
  /** How many documents were missed, when known (content gaps count missing events). */
  missed: number | undefined;
  /** What was missed and why, in words. */
  message: string;
}

/** Called when a subscriber misses documents. */
export type GapHandler = (gap: DocumentGap) => void;

/** The publishing side of a bus: a Bluesky callback plus lifecycle. */
export interface DocumentPublisher {
  /**
   * Publishes one document. Returns at once: it never waits for consumers, so a slow consumer
   * never stalls the RunEngine. Bound, so it can be passed as `RE.subscribe(pub.publish)`.
   */
  readonly publish: DocumentCallback;
  /** Resolves when every document published so far has left this process. */
  flush(): Promise<void>;
  /** Flushes, then releases sockets and connections; safe to call twice. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options every subscriber takes. */
export interface SubscriberOptions {
  /**
   * Called for every gap, in stream order, before the documents that follow it. Without it a gap
   * ends the iteration with DocumentGapError.
   */
  onGap?: GapHandler;
}

/**
 * The consuming side of a bus: documents in order, with `for await`. A `break` leaves the
 * subscriber open (iterate again to go on); close() ends it.
 */
export interface DocumentSubscriber extends AsyncIterable<NamedDocument> {
  /** Ends the iteration (a pending `next()` resolves as done) and releases the connection. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
