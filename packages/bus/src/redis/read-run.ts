// One run, whole, from a beamline's stream: from its start entry (found in the run index) to its
// stop document, leaving out the documents of other runs interleaved with it. For workers that
// analyse a run once its stop document arrives.
import type { NamedDocument } from "@cerulean/event-model";
import { BusConfigError, BusTransportError, DocumentGapError } from "../errors.ts";
import { closeClient, type RedisConnection, redisClient } from "./connection.ts";
import { parseEntry, replyEntries, replyText } from "./stream-entry.ts";
import { type StreamLocation, streamKeys } from "./stream-keys.ts";

export interface ReadRunOptions extends StreamLocation {
  redis: RedisConnection;
  /** The run's uid (its start document's uid). */
  run: string;
  /** Entries read per request (default 500). */
  batch?: number;
}

/**
 * The documents of one run, in stream order, through its stop document (or up to the end of the
 * stream while it is still running). Throws BusConfigError for a run the index does not know,
 * and DocumentGapError when part of it was trimmed from the stream.
 */
export async function readRunDocuments(options: ReadRunOptions): Promise<NamedDocument[]> {
  const keys = streamKeys(options);
  const { client, owned } = redisClient(options.redis, "commands");
  try {
    const where = await client.call("HGET", keys.runs, options.run);
    if (where === null) {
      throw new BusConfigError(
        `run ${options.run} is not in the run index of ${keys.stream} (never published there, or older than the runs the index keeps)`,
      );
    }
    const [startId = "", startSeq] = replyText(where, "the run index").split(" ");
    const members = new Set<string>([options.run]);
    const out: NamedDocument[] = [];
    let from = startId;
    let expectedSeq = Number(startSeq);
    for (;;) {
      const entries = replyEntries(
        await client.callBuffer("XRANGE", keys.stream, from, "+", "COUNT", options.batch ?? 500),
        "XRANGE",
      );
      for (const raw of entries) {
        const entry = parseEntry(raw);
        if (entry.seq !== undefined && entry.seq !== expectedSeq) {
          const missed = entry.seq - expectedSeq;
          throw new DocumentGapError({
            reason: "trimmed",
            missed,
            message: `run ${options.run} is incomplete in ${keys.stream}: ${missed} document${missed === 1 ? "" : "s"} from seq ${expectedSeq} were trimmed`,
          });
        }
        expectedSeq = (entry.seq ?? expectedSeq) + 1;
        if (!belongs(entry.document, members)) continue;
        out.push(entry.document);
        if (entry.document[0] === "stop") return out;
      }
      const last = entries.at(-1);
      if (!last) return out;
      from = `(${last[0].toString("latin1")}`;
    }
  } catch (error) {
    if (error instanceof BusConfigError || error instanceof DocumentGapError) throw error;
    throw new BusTransportError(
      `cannot read run ${options.run} from ${keys.stream}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    if (owned) closeClient(client);
  }
}

/** True when a document is part of the run whose start, descriptor and resource uids are in `members`. */
function belongs([name, doc]: NamedDocument, members: Set<string>): boolean {
  switch (name) {
    case "start":
      return members.has(doc.uid);
    case "descriptor":
    case "resource":
    case "stream_resource":
      if (!members.has(doc.run_start ?? "")) return false;
      members.add(doc.uid);
      return true;
    case "stop":
      return members.has(doc.run_start);
    case "event":
    case "event_page":
      return members.has(doc.descriptor);
    case "datum":
    case "datum_page":
      return members.has(doc.resource);
    case "stream_datum":
      return members.has(doc.stream_resource);
  }
}
