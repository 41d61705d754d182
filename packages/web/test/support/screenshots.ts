// Where the tests put their screenshots: packages/web/docs (the pictures the README shows) only
// when asked with CERULEAN_SCREENSHOTS=docs, so that a test run leaves the working tree as it
// was; otherwise a temporary directory, removed at exit (the capture is still exercised).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function screenshotDir(): string {
  if (process.env["CERULEAN_SCREENSHOTS"] === "docs") {
    return new URL("../../docs/", import.meta.url).pathname;
  }
  const dir = mkdtempSync(join(tmpdir(), "cerulean-screenshots-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return `${dir}/`;
}

/** The directory screenshots are written to, ending in "/". */
export const DOCS = screenshotDir();
