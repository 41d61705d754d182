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
  // Seqs count within one run of the server: its epoch tells a restarted one on reconnect.
  let epoch = "";
  const url = () => {
    const base = wsUrl(config.documentsWs);
    const sep = base.includes("?") ? "&" : "?";
    if (nextSeq === 0) return `${base}${sep}replay=run`;
    return `${base}${sep}since=${nextSeq}${epoch ? `&epoch=${encodeURIComponent(epoch)}` : ""}`;
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
        const gap = frame.message || `${frame.missed} documents were lost (${frame.reason})`;
        onState({ connected: true, gap });
      } else if (frame.type === "live") {
        nextSeq = frame.next;
        epoch = typeof frame.epoch === "string" ? frame.epoch : "";
      }
    },
  });
}
