// Replays a stored run: its documents in the order they arrived. Stored pages packed from single
// events come back as those events; event pages come back as received.
import type { DocumentName, Event, EventPage, NamedDocument } from "@cerulean/event-model";
import { type Filler, unpackEventPage } from "@cerulean/event-model";
import { decodeDoc } from "../catalog/doc-codec.ts";
import { PageReader } from "../catalog/page-codec.ts";
import type { CatalogStorage, StoredDocument, StoredPage } from "../catalog/storage.ts";

function pageDocuments(stored: StoredPage): NamedDocument[] {
  const { page, hasFilled } = new PageReader(stored.bytes).toEventPage(stored.descriptor);
  if (stored.source === "event_page") {
    if (!hasFilled) delete page.filled;
    return [["event_page", page]];
  }
  return unpackEventPage(page).map((event: Event) => {
    if (!hasFilled) delete event.filled;
    return ["event", event] as NamedDocument;
  });
}

function storedDocument(stored: StoredDocument): NamedDocument {
  return [
    stored.name,
    decodeDoc(stored.bytes, `${stored.name} of run ${stored.runUid}`),
  ] as NamedDocument;
}

/**
 * The run's documents in arrival order. With a Filler, events and event pages come back filled
 * (the Filler is fed the run's descriptors, resources and datums as they pass).
 */
export async function* replayRun(
  storage: CatalogStorage,
  runUid: string,
  filler: Filler | null = null,
): AsyncIterable<NamedDocument> {
  const docs = storage.documents(runUid)[Symbol.asyncIterator]();
  const pages = storage.runPages(runUid)[Symbol.asyncIterator]();
  let doc = await docs.next();
  let page = await pages.next();
  try {
    while (!doc.done || !page.done) {
      let out: NamedDocument[];
      if (page.done || (!doc.done && doc.value.ord < page.value.ord)) {
        out = [storedDocument(doc.value as StoredDocument)];
        doc = await docs.next();
      } else {
        out = pageDocuments(page.value);
        page = await pages.next();
      }
      for (const item of out) yield filler ? await fill(filler, item) : item;
    }
  } finally {
    await docs.return?.();
    await pages.return?.();
  }
}

async function fill(filler: Filler, [name, doc]: NamedDocument): Promise<NamedDocument> {
  if (name === "event") return [name, await filler.fillEvent(doc as Event)];
  if (name === "event_page") return [name, await filler.fillEventPage(doc as EventPage)];
  filler.ingest(name as DocumentName, doc as never);
  return [name, doc] as NamedDocument;
}
