process.env["TZ"] = "UTC";

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { BestEffortCallback } from "../src/best-effort.ts";
import { readPng } from "./png-check.ts";
import { gridScan, linspace, replay, simScan, synGauss } from "./sim-run.ts";

const UID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

function run(options: ConstructorParameters<typeof BestEffortCallback>[0] = {}) {
  const lines: string[] = [];
  const bec = new BestEffortCallback({
    headless: true,
    ...options,
    out: (s) => lines.push(...s.split("\n")),
  });
  return { bec, lines };
}

describe("BestEffortCallback", () => {
  test("a near-constant signal is plotted, and a negative precision printed, without failing", () => {
    const pngDir = mkdtempSync(join(tmpdir(), "bec-flat-"));
    try {
      const { bec, lines } = run({ headless: false, pngDir, terminalPlots: false });
      const flat = [0.3, 0.1 + 0.2, 0.3, 0.3];
      let i = 0;
      const docs = simScan({ positions: linspace(-1, 1, 4), detector: () => flat[i++ % 4] ?? 0 });
      // The schema allows any integer precision; toFixed does not.
      for (const [name, doc] of docs) {
        if (name === "descriptor") {
          const keys = (doc as { data_keys: Record<string, { precision?: number }> }).data_keys;
          for (const key of Object.values(keys)) key.precision = -1;
        }
      }
      replay(docs, bec.callback);
      assert.ok(
        lines.some((l) => l.startsWith("Peak statistics (x = motor)")),
        lines.join("\n"),
      );
      assert.ok(
        readdirSync(pngDir).some((f) => f.endsWith(".png")),
        "a PNG was written",
      );
    } finally {
      rmSync(pngDir, { recursive: true, force: true });
    }
  });

  test("prints the heading, the table of the dimension stream and baseline readings around it", () => {
    const { bec, lines } = run();
    replay(
      simScan({
        positions: linspace(-3, 3, 7),
        uid: UID,
        baseline: { temperature: 295.5, counts_total: 12 },
      }),
      bec.callback,
    );
    const at = (text: string) => lines.indexOf(text);
    assert.equal(lines[2], "Transient Scan ID: 1     Time: 2023-11-14 22:13:20");
    assert.equal(lines[3], `Persistent Unique Scan ID: '${UID}'`);
    assert.ok(at("New stream: 'baseline'") < at("Start-of-run baseline readings:"));
    assert.ok(at("Start-of-run baseline readings:") < at("New stream: 'primary'"));
    assert.ok(lines.includes("|   seq_num |       time |      motor |        det |"));
    assert.ok(lines.includes("|         4 | 22:13:20.4 |      0.000 |      1.000 |"));
    const watermark = at("generator scan ['3f2a9c1e'] (scan num: 1)");
    assert.ok(watermark > 0 && at("End-of-run baseline readings:") > watermark);
    const border = `+${"-".repeat(32)}+${"-".repeat(32)}+`;
    assert.ok(lines.includes(border));
    assert.ok(
      lines.includes(`|                    temperature | 295.5                          |`),
    );
  });

  test("computes peak statistics per hinted detector and prints them at the end", () => {
    const { bec, lines } = run();
    replay(
      simScan({
        positions: linspace(-5, 5, 41),
        detector: synGauss({ center: 0.5, noise: 0.05, seed: 7 }),
      }),
      bec.callback,
    );
    assert.ok(Math.abs((bec.peaks.cen["det"] ?? 0) - 0.5) < 0.1);
    assert.ok(Math.abs((bec.peaks.fwhm["det"] ?? 0) / 2.3548 - 1) < 0.1);
    assert.ok(Math.abs((bec.peaks.max["det"]?.[0] ?? 9) - 0.5) <= 0.5);
    const header = lines.indexOf("Peak statistics (x = motor):");
    assert.ok(header > 0);
    assert.match(lines[header + 4] ?? "", /^\|\s+det \|\s+-?\d\.\d{3} \|/);
  });

  test("1-D scans get a LivePlot per detector, reused across runs when overplotting", () => {
    const { bec } = run();
    replay(simScan({ positions: linspace(-2, 2, 5), scanId: 1 }), bec.callback);
    replay(
      simScan({ positions: linspace(-2, 2, 5), scanId: 2, detector: synGauss({ center: 1 }) }),
      bec.callback,
    );
    const figure = bec.figures.get("det vs motor");
    assert.ok(figure);
    const plot = figure.panels[0];
    assert.deepEqual(
      plot?.series.map((s) => s.label),
      ["scan_id=1", "scan_id=2"],
    );
    assert.ok(plot?.annotations.some((a) => a.label?.startsWith("cen=")));
  });

  test("rectilinear 2-D scans get a LiveGrid; without gridding a LiveScatter", () => {
    const { bec } = run();
    replay(gridScan({ slow: linspace(-1, 1, 3), fast: linspace(-1, 1, 4) }), bec.callback);
    const grid = bec.figures.get("det4 vs motor1 motor2")?.panels[0];
    assert.equal(grid?.image?.width, 4);
    assert.equal(grid?.image?.height, 3);
    const docs = gridScan({ slow: linspace(-1, 1, 3), fast: linspace(-1, 1, 4) });
    const start = docs[0];
    if (start?.[0] === "start")
      start[1].hints = {
        dimensions: [
          [["motor1"], "primary"],
          [["motor2"], "primary"],
        ],
      };
    const other = run();
    replay(docs, other.bec.callback);
    assert.equal(
      other.bec.figures.get("det4 vs motor1 motor2")?.panels[0]?.series[0]?.kind,
      "scatter",
    );
  });

  test("without dimension hints it guesses the motors from the start document", () => {
    const { bec, lines } = run();
    const docs = simScan({ positions: linspace(-1, 1, 3), metadata: { hints: {} } });
    replay(docs, bec.callback);
    assert.ok(bec.figures.has("det vs motor"));
    assert.ok(lines.includes("|   seq_num |       time |      motor |        det |"));
  });

  test("headless keeps plots as models only; otherwise terminal plots and PNG files are produced", () => {
    const quiet = run();
    replay(simScan({ positions: linspace(-2, 2, 9) }), quiet.bec.callback);
    assert.ok(!quiet.lines.some((l) => /[\u2801-\u28ff]/.test(l)));
    const dir = mkdtempSync(join(tmpdir(), "bec-"));
    try {
      const loud = run({ headless: false, pngDir: dir, png: { width: 500, height: 350 } });
      replay(simScan({ positions: linspace(-2, 2, 9), scanId: 7 }), loud.bec.callback);
      assert.ok(loud.lines.some((l) => /[\u2801-\u28ff]/.test(l)));
      assert.deepEqual(readdirSync(dir), ["scan-7-det-vs-motor.png"]);
      const pixels = readPng(readFileSync(join(dir, "scan-7-det-vs-motor.png")));
      assert.equal(pixels.width, 500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("disabled table, baseline and plots print nothing", () => {
    const { bec, lines } = run();
    bec.disableTable();
    bec.disableBaseline();
    bec.disablePlots();
    replay(simScan({ positions: [0, 1], baseline: { t: 1 } }), bec.callback);
    assert.deepEqual(lines, []);
  });

  test("single-point runs are not plotted", () => {
    const { bec } = run();
    replay(simScan({ positions: [0] }), bec.callback);
    assert.equal(bec.figures.size, 0);
  });
});
