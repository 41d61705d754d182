#!/usr/bin/env node
// Runs the TypeScript sources directly: no build step between a clone and a working command.
// Both loaders, as `node --import tsx` does: a user's plan file or cerulean.config.ts outside an
// ES-module package is compiled as CommonJS.
import { register as registerCommonJs } from "tsx/cjs/api";
import { register } from "tsx/esm/api";

// Output piped into `head` (or a closed pager): the rest of the output is dropped, quietly, and
// the command goes on to its end, so that a run in progress is still stored.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code !== "EPIPE") throw err;
  });
}

registerCommonJs();
register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
