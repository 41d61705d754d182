// Dependencies point down the layer table of DESIGN.md; this check fails the lint when one does not.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Which workspace packages each package may depend on (DESIGN.md, "Layers and packages"). */
const allowed: Record<string, readonly string[]> = {
  "event-model": [],
  devices: ["event-model"],
  epics: ["devices", "event-model"],
  engine: ["event-model", "devices"],
  callbacks: ["event-model", "analysis"],
  analysis: ["event-model"],
  suitcase: ["event-model"],
  broker: ["event-model", "suitcase"],
  bus: ["event-model"],
  queueserver: [
    "engine",
    "devices",
    "broker",
    "bus",
    "event-model",
    "suitcase",
    "callbacks",
    "analysis",
  ],
  web: [],
  cli: ["*"],
  integration: ["*"],
};
/** Packages whose imports of a dependency must be type-only (the engine never touches a device). */
const typeOnly: Record<string, readonly string[]> = { engine: ["devices"] };

const root = new URL("..", import.meta.url).pathname;
const problems: string[] = [];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

for (const pkg of readdirSync(join(root, "packages"))) {
  const manifest = JSON.parse(
    readFileSync(join(root, "packages", pkg, "package.json"), "utf8"),
  ) as {
    dependencies?: Record<string, string>;
  };
  const permitted = allowed[pkg];
  if (!permitted) {
    problems.push(`packages/${pkg} is not in the layer table of scripts/check-layers.ts`);
    continue;
  }
  const declared = Object.keys(manifest.dependencies ?? {})
    .filter((d) => d.startsWith("@cerulean/"))
    .map((d) => d.slice("@cerulean/".length));
  for (const dep of declared) {
    if (!permitted.includes("*") && !permitted.includes(dep)) {
      problems.push(`packages/${pkg} depends on @cerulean/${dep}, which is not below it`);
    }
  }
  const srcDir = join(root, "packages", pkg, "src");
  for (const file of statSync(srcDir, { throwIfNoEntry: false }) ? sources(srcDir) : []) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(
      /^\s*(import|export)(\s+type)?[^;]*?from\s+"@cerulean\/([a-z-]+)/gm,
    )) {
      const dep = m[3] ?? "";
      const isType = Boolean(m[2]);
      if (dep !== pkg && !declared.includes(dep)) {
        problems.push(
          `${file.slice(root.length)} imports @cerulean/${dep}, not declared in package.json`,
        );
      }
      if (typeOnly[pkg]?.includes(dep) && !isType) {
        problems.push(
          `${file.slice(root.length)} imports values from @cerulean/${dep}; use "import type"`,
        );
      }
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("layers: ok");
