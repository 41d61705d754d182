// `cerulean run file.ts` and `--profile cerulean.config.ts`: plan files, failures pointing at
// the plan line, typed configs loaded from a directory of their own.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { openCatalog } from "@cerulean/broker";
import { parseDocuments } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { runRun } from "../src/commands/run.ts";
import { CliProfileError, CliUsageError } from "../src/errors.ts";
import { main } from "../src/main.ts";

const dir = mkdtempSync(join(tmpdir(), "cerulean-cli-run-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const url = (relative: string) => pathToFileURL(join(import.meta.dirname, relative)).href;

function write(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function collect(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(...line.split("\n")) };
}

describe("cerulean run file.ts", () => {
  test("a file exporting a function of the scope runs; uid and scan_id are printed", async () => {
    const file = write(
      "align.ts",
      "export const plan = ({ scan, det, motor }) => scan([det], motor, -1, 1, 5);\n",
    );
    const jsonl = join(dir, "align.jsonl");
    const { lines, print } = collect();
    const code = await runRun([file, "--data", join(dir, "d1"), "--jsonl", jsonl], { print });
    assert.equal(code, 0, lines.join("\n"));
    assert.equal(lines.filter((l) => /^\|\s+\d+ \|/.test(l)).length, 5);
    const docs = parseDocuments(readFileSync(jsonl, "utf8"));
    assertValidStream(docs);
    const uid = String((docs[0]?.[1] as { uid?: string } | undefined)?.uid);
    assert.ok(lines.includes(`cerulean run: run uid ${uid}, scan_id 1`), lines.join("\n"));
    assert.ok(lines.includes("cerulean run: success"));
  });

  test("a file exporting a generator function of the scope runs too", async () => {
    const file = write(
      "two.ts",
      [
        "export function* plan({ count, det, bps, motor }) {",
        "  yield* bps.mv(motor, 0.5);",
        "  yield* count([det], 2);",
        "}",
      ].join("\n"),
    );
    const { lines, print } = collect();
    assert.equal(await runRun([file, "--data", join(dir, "d2"), "--quiet"], { print }), 0);
    assert.ok(!lines.some((l) => l.includes("seq_num")), "--quiet prints no table");
    assert.ok(lines.some((l) => /^cerulean run: run uid \S+, scan_id 1$/.test(l)));
  });

  test("a failing message exits 1 with the reason and the plan line that yielded it", async () => {
    const file = write(
      "fail.ts",
      [
        "export function* plan({ bps, count, det, motor }) {",
        "  yield* count([det], 2);",
        "  yield* bps.open_run();",
        '  yield* bps.mv(motor, "far away");',
        "  yield* bps.close_run();",
        "}",
      ].join("\n"),
    );
    const jsonl = join(dir, "fail.jsonl");
    const { lines, print } = collect();
    const code = await runRun([file, "--data", join(dir, "d3"), "--jsonl", jsonl, "--quiet"], {
      print,
    });
    assert.equal(code, 1);
    const failed = lines.findIndex((l) => l.startsWith("cerulean run: the plan failed:"));
    assert.match(lines[failed] ?? "", /motor cannot take "far away"/);
    assert.equal(lines[failed + 1], `  at ${file}:4: yield* bps.mv(motor, "far away");`);
    // Both runs were recorded; the failed one is closed with exit_status "fail" and reported.
    const docs = parseDocuments(readFileSync(jsonl, "utf8"));
    assertValidStream(docs);
    const stops = docs.filter(([name]) => name === "stop").map(([, d]) => d);
    assert.deepEqual(
      stops.map((d) => (d as { exit_status: string }).exit_status),
      ["success", "fail"],
    );
    assert.ok(
      lines.some((l) => /^cerulean run: run uid \S+, scan_id 2$/.test(l)),
      lines.join("\n"),
    );
  });

  test("a failing message yielded by a helper plan of the file points into the helper", async () => {
    const file = write(
      "helper.ts",
      [
        "function* park(bps, motor, where) {",
        "  yield* bps.mv(motor, where);",
        "}",
        "export const plan = ({ bps, motor }) => park(bps, motor, null);",
      ].join("\n"),
    );
    const { lines, print } = collect();
    assert.equal(await runRun([file, "--data", join(dir, "d8"), "--quiet"], { print }), 1);
    assert.ok(lines.includes(`  at ${file}:2: yield* bps.mv(motor, where);`), lines.join("\n"));
  });

  test("an error thrown by the plan's own code shows its line", async () => {
    const file = write(
      "throws.ts",
      [
        "export function* plan({ count, det }) {",
        "  yield* count([det], 1);",
        '  throw new Error("the sample is not aligned");',
        "}",
      ].join("\n"),
    );
    const { lines, print } = collect();
    assert.equal(await runRun([file, "--data", join(dir, "d4"), "--quiet"], { print }), 1);
    assert.ok(lines.some((l) => l.includes("the sample is not aligned")));
    assert.ok(
      lines.includes(`  at ${file}:3: throw new Error("the sample is not aligned");`),
      lines.join("\n"),
    );
  });

  test("a file without a plan export is a usage error naming the file", async () => {
    const file = write("empty.ts", "export const notAPlan = 1;\n");
    await assert.rejects(runRun([file, "--data", join(dir, "d5")]), (err: Error) => {
      assert.ok(err instanceof CliUsageError);
      assert.match(err.message, /empty\.ts exports no "plan"/);
      return true;
    });
  });

  test("a plan file that does not exist is named as such, before anything runs", async () => {
    for (const name of ["none.ts", "none.mjs"]) {
      const file = join(dir, name);
      await assert.rejects(runRun([file, "--data", join(dir, "d-none")]), (err: Error) => {
        assert.ok(err instanceof CliUsageError);
        assert.equal(err.message, `no such plan file: ${file}`);
        return true;
      });
    }
  });

  test("a typo in a plan or device name suggests the closest names", async () => {
    const data = join(dir, "d6");
    await assert.rejects(runRun(["scna([det], motor, -1, 1, 3)", "--data", data]), (err: Error) => {
      assert.match(err.message, /scna is not defined; did you mean scan\?/);
      return true;
    });
    await assert.rejects(runRun(["count([noisy_dett], 1)", "--data", data]), (err: Error) => {
      assert.match(err.message, /did you mean noisy_det\?/);
      return true;
    });
  });
});

describe("profiles", () => {
  const config = write(
    "beamline/cerulean.config.ts",
    `import { defineConfig } from ${JSON.stringify(url("../src/index.ts"))};
import { SynAxis, SynGauss } from ${JSON.stringify(url("../../devices/src/sim/index.ts"))};
import { bp } from ${JSON.stringify(url("../../engine/src/index.ts"))};

const theta = new SynAxis("theta");
const peak = new SynGauss("peak", theta, "theta", { center: 0.5, Imax: 2, sigma: 0.2 });

export const config = defineConfig({
  name: "test-bl",
  devices: async () => {
    await theta.connect();
    await peak.connect();
    return { theta, peak };
  },
  plans: { rocking: (width) => bp.scan([peak], theta, 0.5 - width, 0.5 + width, 6) },
  detectors: ["peak"],
  metadata: { beamline_id: "test-bl", operator: "ada" },
  storage: { data: ${JSON.stringify(join(dir, "beamline-data"))} },
});
`,
  );

  test("a cerulean.config.ts declares devices, plans, metadata and storage", async () => {
    const jsonl = join(dir, "profile.jsonl");
    const { lines, print } = collect();
    const code = await runRun(["rocking(0.5)", "--profile", config, "--jsonl", jsonl], {
      print,
    });
    assert.equal(code, 0, lines.join("\n"));
    const docs = parseDocuments(readFileSync(jsonl, "utf8"));
    assertValidStream(docs);
    const start = docs[0]?.[1] as Record<string, unknown>;
    assert.equal(start["beamline_id"], "test-bl");
    assert.equal(start["operator"], "ada");
    assert.deepEqual(start["motors"], ["theta"]);
    assert.equal(start["num_points"], 6);
    // storage.data is where the run went.
    const catalog = await openCatalog(join(dir, "beamline-data", "catalog.sqlite"));
    try {
      const runs = await catalog.search();
      assert.deepEqual(
        runs.map((r) => r.start.uid),
        [start["uid"]],
      );
    } finally {
      await catalog.close();
    }
  });

  test("--data wins over the config's storage; the sim devices are not there", async () => {
    const data = join(dir, "d7");
    const { print } = collect();
    assert.equal(
      await runRun(["count([peak], 1)", "--profile", config, "--data", data, "--quiet"], { print }),
      0,
    );
    const catalog = await openCatalog(join(data, "catalog.sqlite"));
    await catalog.close();
    await assert.rejects(
      runRun(["count([det], 1)", "--profile", config, "--data", data]),
      /det is not defined/,
    );
  });

  test("an unknown profile is an error naming it and what was expected", async () => {
    await assert.rejects(
      runRun(["count([det], 1)", "--profile", join(dir, "nope.config.ts")]),
      (err: Error) => {
        assert.ok(err instanceof CliProfileError);
        assert.match(err.message, /nope\.config\.ts.*expected "sim" or a cerulean\.config\.ts/);
        return true;
      },
    );
  });
});

test("cerulean --help lists repl and run; cerulean run --help documents every option", async () => {
  const logged: string[] = [];
  const log = console.log;
  console.log = (line: string) => logged.push(line);
  try {
    assert.equal(await main(["--help"]), 0);
  } finally {
    console.log = log;
  }
  assert.match(logged.join("\n"), /\n {2}repl {9}interactive session/);
  assert.match(logged.join("\n"), /\n {2}run {10}run one plan/);
  const { lines, print } = collect();
  assert.equal(await runRun(["--help"], { print }), 0);
  for (const option of ["--profile", "--quiet", "--data", "--jsonl", "--catalog", "--md"]) {
    assert.ok(
      lines.some((l) => l.trimStart().startsWith(option)),
      option,
    );
  }
});
