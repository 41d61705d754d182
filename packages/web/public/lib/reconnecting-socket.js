// @ts-check
// A WebSocket that reconnects with exponential backoff (0.5 s doubling to 10 s) when it drops.
// A handshake that hangs is given up after 5 s: Chromium opens one WebSocket per host at a
// time, so one stuck handshake would otherwise block every other socket of the page.

/**
 * @param {() => string} url called on each (re)connect, so the caller can add ?since=<seq>
 * @param {{onMessage: (data: any) => void, onState?: (connected: boolean) => void, binary?: boolean}} handlers
 * @returns {{close: () => void}}
 */
export function reconnectingSocket(url, handlers) {
  let delay = 500;
  let closed = false;
  /** @type {WebSocket | null} */
  let ws = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const connect = () => {
    if (closed) return;
    const socket = new WebSocket(url());
    ws = socket;
    const handshake = setTimeout(() => socket.close(), 5000);
    let openedAt = 0;
    socket.onopen = () => {
      clearTimeout(handshake);
      openedAt = Date.now();
      handlers.onState?.(true);
    };
    socket.onmessage = (event) => handlers.onMessage(event.data);
    socket.onclose = () => {
      clearTimeout(handshake);
      // A socket the server closes at once (e.g. refused for a missing key, code 4001) is not a
      // healthy one: keep backing off instead of retrying every half second.
      if (openedAt && Date.now() - openedAt > 5000) delay = 500;
      handlers.onState?.(false);
      if (!closed) timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    };
    socket.onerror = () => socket.close();
  };
  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      ws?.close();
    },
  };
}
