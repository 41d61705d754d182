// `npm run bench [-- --quick] [filter...]`: runs every bench/*.bench.ts in its own process
// (so peak memory and JIT state do not leak between them); each prints JSON lines.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = new URL(".", import.meta.url).pathname;
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith("--"));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const file of files) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(dir, file), ...args], {
    stdio: "inherit",
  });
  if (result.status !== 0) {
    failed++;
    console.error(`bench ${file} failed with exit code ${String(result.status)}`);
  }
}
process.exit(failed ? 1 : 0);
