import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openCatalog } from "@cerulean/broker";
import { parseDocuments } from "@cerulean/event-model";
import { assertValidStream } from "@cerulean/event-model/testing";
import { evaluatePlan, runRun } from "../src/commands/run.ts";
import { CliUsageError } from "../src/errors.ts";

/** A field of a parsed document. */
const field = (doc: unknown, key: string): unknown =>
  (doc as Record<string, unknown> | undefined)?.[key];

const dir = mkdtempSync(join(tmpdir(), "cerulean-cli-run-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function collectLines(): { lines: string[]; print: (line: string) => void } {
  const lines: string[] = [];
  return { lines, print: (line) => lines.push(...line.split("\n")) };
}

/** A SIGINT source that presses Ctrl-C twice shortly after the command starts listening. */
function interruptSoonAfterListening(): EventEmitter {
  const signals = new EventEmitter();
  signals.on("newListener", (event) => {
    if (event !== "SIGINT") return;
    setTimeout(() => {
      signals.emit("SIGINT");
      signals.emit("SIGINT");
    }, 100);
  });
  return signals;
}

describe("cerulean run", () => {
  test("every run lands in the catalog of the data directory", async () => {
    const { print } = collectLines();
    const data = join(dir, "catalog-data");
    assert.equal(
      await runRun(["scan([det], motor, -1, 1, 5)", "--data", data, "--quiet"], { print }),
      0,
    );
    assert.equal(await runRun(["count([det], 2)", "--data", data, "--quiet"], { print }), 0);
    const catalog = await openCatalog(join(data, "catalog.sqlite"));
    try {
      const runs = await catalog.search();
      assert.deepEqual(
        runs.map((r) => [r.start["plan_name"], r.start.scan_id, r.stop?.exit_status]),
        [
          ["scan", 1, "success"],
          ["count", 2, "success"],
        ],
      );
      const table = await (await runs[0]!.stream("primary")).read();
      assert.deepEqual(Array.from(table.data["motor"] ?? []), [-1, -0.5, 0, 0.5, 1]);
    } finally {
      await catalog.close();
    }
  });

  test("count([det], 3) prints a table, writes JSON lines and keeps scan_id in the data dir", async () => {
    const { lines, print } = collectLines();
    const data = join(dir, "data1");
    const jsonl = join(dir, "count.jsonl");
    const code = await runRun(
      ["count([det], 3)", "--jsonl", jsonl, "--data", data, "--seed", "1"],
      { print },
    );
    assert.equal(code, 0);
    assert.ok(
      lines.some((l) => /\|\s+seq_num \|\s+time \|\s+det \|/.test(l)),
      lines.join("\n"),
    );
    assert.equal(lines.filter((l) => /^\|\s+\d+ \|/.test(l)).length, 3);
    const docs = parseDocuments(readFileSync(jsonl, "utf8"));
    assertValidStream(docs);
    assert.deepEqual(
      docs.map(([name]) => name),
      ["start", "descriptor", "event", "event", "event", "stop"],
    );
    assert.equal(field(docs[0]?.[1], "scan_id"), 1);
    const again = await runRun(["count([det])", "--data", data, "--quiet", "--jsonl", jsonl], {
      print,
    });
    assert.equal(again, 0);
    assert.equal(field(parseDocuments(readFileSync(jsonl, "utf8"))[0]?.[1], "scan_id"), 2);
  });

  test("--quiet prints no table; --md adds metadata", async () => {
    const { lines, print } = collectLines();
    const jsonl = join(dir, "quiet.jsonl");
    const code = await runRun(
      [
        "count([det1, det2], 2)",
        "--quiet",
        "--data",
        join(dir, "data2"),
        "--jsonl",
        jsonl,
        "--md",
        '{"sample": "Si"}',
      ],
      { print },
    );
    assert.equal(code, 0);
    assert.ok(!lines.some((l) => l.includes("seq_num")));
    assert.equal(field(parseDocuments(readFileSync(jsonl, "utf8"))[0]?.[1], "sample"), "Si");
  });

  test("a bad expression is a usage error naming it", async () => {
    const data = join(dir, "data3");
    await assert.rejects(runRun(["count([dett], 1)", "--data", data]), (err: Error) => {
      assert.ok(err instanceof CliUsageError);
      assert.match(err.message, /count\(\[dett\], 1\).*dett is not defined.*did you mean det/);
      return true;
    });
    await assert.rejects(
      runRun(["count([det], 1", "--data", data]),
      /cannot parse the plan expression/,
    );
    await assert.rejects(runRun(["1 + 1", "--data", data]), /gave number, not a plan/);
    await assert.rejects(runRun(["--data", data]), /one plan expression/);
    await assert.rejects(runRun(["count([det])", "--md", "[1]", "--data", data]), /JSON object/);
  });

  test("a plan failing while it runs exits with 1 and says why", async () => {
    const { lines, print } = collectLines();
    const code = await runRun(
      ['run_wrapper(bps.mv(motor, "far away"))', "--data", join(dir, "data4")],
      {
        print,
      },
    );
    assert.equal(code, 1);
    assert.ok(
      lines.some((l) => l.includes("the plan failed") && l.includes("motor")),
      lines.join("\n"),
    );
  });

  test("plan arguments refused by the plan are usage errors", async () => {
    await assert.rejects(
      runRun(["count([det], -1)", "--data", join(dir, "data4")]),
      /num must be a whole number/,
    );
  });

  test("two Ctrl-C pause the plan; the answer decides (resume, then it finishes)", async () => {
    const { lines, print } = collectLines();
    const signals = interruptSoonAfterListening();
    const jsonl = join(dir, "paused.jsonl");
    const answers: string[] = [];
    const code = await runRun(
      ["count([det], 50, 0.02)", "--quiet", "--data", join(dir, "data5"), "--jsonl", jsonl],
      {
        print,
        signals: signals as never,
        askAfterPause: async () => {
          answers.push("resume");
          return "r";
        },
      },
    );
    assert.equal(code, 0);
    assert.deepEqual(answers, ["resume"]);
    assert.equal(signals.listenerCount("SIGINT"), 0);
    const docs = parseDocuments(readFileSync(jsonl, "utf8"));
    assertValidStream(docs);
    assert.equal(field(docs.at(-1)?.[1], "exit_status"), "success");
    assert.ok(lines.some((l) => l.includes("Pausing")));
  });

  test("aborting after a pause exits with 1 and records the abort", async () => {
    const signals = interruptSoonAfterListening();
    const jsonl = join(dir, "aborted.jsonl");
    const code = await runRun(
      ["count([det], 50, 0.02)", "--quiet", "--data", join(dir, "data6"), "--jsonl", jsonl],
      {
        print: () => {},
        signals: signals as never,
        askAfterPause: async () => "a",
      },
    );
    assert.equal(code, 1);
    const stop = parseDocuments(readFileSync(jsonl, "utf8")).at(-1)?.[1];
    assert.equal(field(stop, "exit_status"), "abort");
    assert.equal(field(stop, "reason"), "interrupted from the terminal");
  });

  test("an unwritable --jsonl file is refused, naming it, before any run", async () => {
    const data = join(dir, "data-unwritable");
    const jsonl = join(dir, "no-such-dir", "x.jsonl");
    await assert.rejects(
      runRun(["count([det], 2)", "--quiet", "--data", data, "--jsonl", jsonl], { print: () => {} }),
      (err: Error) =>
        err instanceof CliUsageError &&
        err.message.includes(`cannot write the JSON lines file ${jsonl}`),
    );
    assert.equal(existsSync(join(data, "catalog.sqlite")), false);
  });

  test("a JSON lines file failing mid-run still lets the session close and store the run", async () => {
    const { lines, print } = collectLines();
    const data = join(dir, "data-full");
    // /dev/full opens, then every write fails (ENOSPC).
    const code = await runRun(
      ["count([det], 2)", "--quiet", "--data", data, "--jsonl", "/dev/full"],
      {
        print,
      },
    );
    assert.equal(code, 1);
    assert.ok(
      lines.some((l) => l.startsWith("cerulean run: the JSON lines file /dev/full is incomplete")),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => /^cerulean run: run uid \S+, scan_id 1$/.test(l)),
      lines.join("\n"),
    );
    assert.ok(existsSync(join(data, "run-engine-md.json")));
    const catalog = await openCatalog(join(data, "catalog.sqlite"));
    try {
      const runs = await catalog.search();
      assert.deepEqual(
        runs.map((r) => r.stop?.exit_status),
        ["success"],
      );
    } finally {
      await catalog.close();
    }
  });

  test("an empty or unknown answer after a pause asks again; only a valid one acts", async () => {
    const { lines, print } = collectLines();
    const signals = interruptSoonAfterListening();
    const answers = ["", "x", "r"];
    let asked = 0;
    const code = await runRun(["count([det], 50, 0.02)", "--quiet", "--data", join(dir, "data7")], {
      print,
      signals: signals as never,
      askAfterPause: async () => answers[asked++] ?? "a",
    });
    assert.equal(code, 0);
    assert.equal(asked, 3);
    assert.ok(
      lines.some((l) => l.includes('"x" is not an option')),
      lines.join("\n"),
    );
  });

  test("SIGTERM while paused at the question aborts the run, stores it and exits 143", async () => {
    const signals = interruptSoonAfterListening();
    const terminations = new EventEmitter();
    const jsonl = join(dir, "terminated.jsonl");
    let dropped = false;
    const code = await runRun(
      ["count([det], 50, 0.02)", "--quiet", "--data", join(dir, "data8"), "--jsonl", jsonl],
      {
        print: () => {},
        signals: signals as never,
        terminations: terminations as never,
        askAfterPause: (signal) => {
          setImmediate(() => terminations.emit("SIGTERM"));
          return new Promise((resolve) => {
            signal.addEventListener("abort", () => {
              dropped = true;
              resolve("");
            });
          });
        },
      },
    );
    assert.equal(code, 143);
    assert.ok(dropped, "the question was not dropped");
    assert.equal(terminations.listenerCount("SIGTERM"), 0);
    const stop = parseDocuments(readFileSync(jsonl, "utf8")).at(-1)?.[1];
    assert.equal(field(stop, "exit_status"), "abort");
    assert.equal(field(stop, "reason"), "terminated by SIGTERM");
  });

  test("expressions see only the scope given; they cannot reach this module's variables", () => {
    const plan = evaluatePlan("[x]", { x: { command: "null", obj: null, args: [], kwargs: {} } });
    assert.deepEqual([...(plan as Iterable<unknown>)].length, 1);
    assert.throws(() => evaluatePlan("dir", {}), /dir is not defined/);
  });
});
