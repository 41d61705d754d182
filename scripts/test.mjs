// Runs every test file of the workspace with Node's test runner (TAP output, read by CI).
// Node 20 finds no .ts files by itself, so the list is built here and passed explicitly.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function testFiles(dir) {
  let out = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out = out.concat(testFiles(path));
    else if (entry.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = readdirSync(join(root, "packages"))
  .flatMap((pkg) => {
    const dir = join(root, "packages", pkg, "test");
    try {
      return testFiles(dir);
    } catch {
      return [];
    }
  })
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error(`no test files matched ${filters.join(" ") || "packages/*/test"}`);
  process.exit(1);
}
// A file whose tests hang is cancelled after ten minutes (the slowest takes well under one)
// instead of holding CI until its deadline; one whose tests are done exits even if a socket is
// left open.
const guards = ["--test-timeout=600000", "--test-force-exit"];
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...guards, ...files], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
