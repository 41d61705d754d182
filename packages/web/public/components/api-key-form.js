// @ts-check
// Shown when the server answers 401: it was started with an API key (a non-loopback address)
// and this browser has none, or a wrong one. The key is kept in this browser (localStorage).
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { rememberApiKey } from "../lib/api.js";

/** @param {{error: string | null}} props */
export function ApiKeyForm({ error }) {
  const [key, setKey] = useState("");
  return html`<form class="banner error" role="alert" data-testid="api-key-form"
    onSubmit=${(/** @type {Event} */ e) => {
      e.preventDefault();
      if (key.trim()) rememberApiKey(key);
    }}>
    <p>This server needs an API key (${error}).</p>
    <label>API key <input type="password" autocomplete="current-password" value=${key}
      onInput=${(/** @type {any} */ e) => setKey(e.currentTarget.value)} /></label>
    <button type="submit">Use key</button>
  </form>`;
}
