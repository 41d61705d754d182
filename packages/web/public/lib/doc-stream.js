// @ts-check
// The bus's document WebSocket: replay of the current run, then live; on reconnect, resume
// from the next seq so no document is dropped (a `gap` frame says when the server lost some).
import { config, wsUrl } from "./api.js";
import { parseFrame } from "./live-model.js";
import { reconnectingSocket } from "./reconnecting-socket.js";

/**
 * @param {(name: string, doc: any) => void} onDocument
 * @param {(state: {connected: boolean, gap?: string}) => void} onState
 */
export function openDocumentStream(onDocument, onState) {
  let nextSeq = 0;
  const url = () => {
    const base = wsUrl(config.documentsWs);
    const sep = base.includes("?") ? "&" : "?";
    return nextSeq > 0 ? `${base}${sep}since=${nextSeq}` : `${base}${sep}replay=run`;
  };
  return reconnectingSocket(url, {
    onState: (connected) => onState({ connected }),
    onMessage: (data) => {
      if (typeof data !== "string") return;
      const frame = parseFrame(data);
      if (frame.type === "document") {
        nextSeq = frame.seq + 1;
        onDocument(frame.name, frame.doc);
      } else if (frame.type === "gap") {
        nextSeq = frame.next;
        onState({ connected: true, gap: `${frame.missed} documents were lost (${frame.reason})` });
      } else if (frame.type === "live") {
        nextSeq = frame.next;
      }
    },
  });
}
