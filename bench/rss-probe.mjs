// Preloaded into a child (NODE_OPTIONS=--import) by bench/child.ts: at exit, writes the
// process's peak resident memory (KiB) to $CERULEAN_BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";

const file = process.env.CERULEAN_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
