// @ts-check
// Console output of the queue server, kept scrolled to the end unless the user scrolled up.
import { html } from "htm/preact";
import { useEffect, useRef } from "preact/hooks";

/** @param {{text: string}} props */
export function ConsoleView({ text }) {
  const ref = useRef(/** @type {HTMLPreElement | null} */ (null));
  const stick = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  const onScroll = () => {
    const el = ref.current;
    if (el) stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
  };
  return html`
    <section class="panel" aria-labelledby="console-h">
      <h2 id="console-h">Console</h2>
      <pre class="console" ref=${ref} onScroll=${onScroll} tabindex="0" aria-live="off" aria-labelledby="console-h" data-testid="console">${text}</pre>
    </section>`;
}
