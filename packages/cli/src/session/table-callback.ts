// The terminal view of a run: a LiveTable of the primary stream, optionally a progress bar.
import { hintedFields, LiveTable, ProgressBar } from "@cerulean/callbacks";
import type {
  Document,
  DocumentCallback,
  DocumentName,
  EventDescriptor,
} from "@cerulean/event-model";

/** A LiveTable made once the primary descriptor says which fields to show (plus progress lines). */
export function tableCallback(
  print: (line: string) => void,
  options: { progress?: boolean } = {},
): DocumentCallback {
  let table: LiveTable | undefined;
  let start: Document | undefined;
  const progress = options.progress
    ? new ProgressBar({ write: (text) => print(text.replace(/\n$/, "")), redraw: false })
    : undefined;
  return ((name: DocumentName, doc: Document) => {
    if (name === "start") {
      start = doc;
      table = undefined;
    } else if (!table && name === "descriptor" && (doc as EventDescriptor).name === "primary") {
      table = new LiveTable(hintedFields(doc as EventDescriptor), { out: print });
      if (start) table.callback("start", start as never);
    }
    table?.callback(name as never, doc as never);
    progress?.callback(name as never, doc as never);
  }) as DocumentCallback;
}
