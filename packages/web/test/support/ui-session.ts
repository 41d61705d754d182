// One test file's UI session: the real stack and a headless Chromium page on it, started before
// the file's tests and closed after them.
import { after, before } from "node:test";
import type { Page } from "playwright-core";
import { type Browser, openBrowser } from "./browser.ts";
import { type RealStack, type RealStackOptions, startRealStack } from "./real-stack.ts";

export interface UiSession {
  stack: RealStack;
  browser: Browser;
  page: Page;
}

/**
 * Registers the file's before/after hooks; `ready` receives the session once it is up.
 * @example withUiSession((ui) => ({ stack, page } = ui));
 */
export function withUiSession(
  ready: (session: UiSession) => void,
  options: RealStackOptions = {},
): void {
  let stack: RealStack | undefined;
  let browser: Browser | undefined;
  before(async () => {
    stack = await startRealStack(options);
    browser = await openBrowser();
    browser.page.setDefaultTimeout(15_000);
    ready({ stack, browser, page: browser.page });
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });
}
