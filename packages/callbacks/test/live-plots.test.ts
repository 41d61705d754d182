import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { gaussian } from "@cerulean/analysis";
import { composeRun, type NamedDocument } from "@cerulean/event-model";
import { CallbackConfigurationError } from "../src/errors.ts";
import { LiveFit } from "../src/live-fit.ts";
import { LiveFitPlot } from "../src/live-fit-plot.ts";
import { LiveGrid } from "../src/live-grid.ts";
import { LiveImage } from "../src/live-image.ts";
import { LivePlot } from "../src/live-plot.ts";
import { LiveScatter } from "../src/live-scatter.ts";
import { isNotWhite, isSeriesBlue, readPng } from "./png-check.ts";
import { gridScan, linspace, replay, simScan, synGauss } from "./sim-run.ts";

describe("LivePlot", () => {
  test("one line per run, labelled from the start document, earlier runs kept", () => {
    const lp = new LivePlot("det", { x: "motor", maxRuns: 2 });
    for (const scanId of [1, 2, 3])
      replay(simScan({ positions: linspace(-2, 2, 5), scanId }), lp.callback);
    const plot = lp.plot;
    assert.deepEqual(
      plot.series.map((s) => s.label),
      ["scan_id=2", "scan_id=3"],
    );
    assert.deepEqual(plot.series[1]?.x, [-2, -1, 0, 1, 2]);
    assert.equal(plot.x.label, "motor");
    assert.equal(plot.title, "det vs motor");
  });

  test("without x it plots against seq_num; 'time' is seconds since the start", () => {
    const bySeq = new LivePlot("det");
    const byTime = new LivePlot("det", { x: "time" });
    replay(simScan({ positions: [0, 1, 2], dt: 0.5 }), bySeq.callback, byTime.callback);
    assert.deepEqual(bySeq.current.x, [1, 2, 3]);
    assert.deepEqual(
      byTime.current.x.map((t) => Math.round(t * 100) / 100),
      [0.55, 1.05, 1.55],
    );
  });

  test("writes a PNG at the end of the run: right size, data in the plot area", () => {
    const dir = mkdtempSync(join(tmpdir(), "liveplot-"));
    try {
      const path = join(dir, "det.png");
      const lp = new LivePlot("det", {
        x: "motor",
        pngPath: path,
        png: { width: 600, height: 400 },
      });
      replay(
        simScan({ positions: linspace(-5, 5, 41), detector: synGauss({ noise: 0.05 }) }),
        lp.callback,
      );
      const pixels = readPng(readFileSync(path));
      assert.equal(pixels.width, 600);
      assert.equal(pixels.height, 400);
      assert.ok(pixels.count({ x0: 80, y0: 40, x1: 575, y1: 345 }, isSeriesBlue) > 200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("prints a terminal rendering at the end when asked", () => {
    const printed: string[] = [];
    const lp = new LivePlot("det", {
      x: "motor",
      terminal: (t) => printed.push(t),
      terminalOptions: { width: 30, height: 6 },
    });
    replay(simScan({ positions: linspace(-3, 3, 13) }), lp.callback);
    assert.equal(printed.length, 1);
    assert.match(printed[0] ?? "", /[\u2801-\u28ff]/);
  });
});

describe("LiveFitPlot", () => {
  test("draws the data and the fitted curve, and feeds the fit", () => {
    const fit = new LiveFit(gaussian(), "det", { x: "motor" }, { updateEvery: null });
    const plot = new LiveFitPlot(fit);
    replay(
      simScan({
        positions: linspace(-5, 5, 41),
        detector: synGauss({ center: 1, noise: 0.05, seed: 2 }),
      }),
      plot.callback,
    );
    assert.equal(fit.result?.success, true);
    const model = plot.plot;
    assert.equal(model.series.length, 2);
    const curve = model.series[1];
    assert.equal(curve?.label, "gaussian fit");
    const peakAt = curve ? curve.x[curve.y.indexOf(Math.max(...curve.y))] : Number.NaN;
    assert.ok(Math.abs((peakAt ?? 0) - 1) < 0.1);
    assert.ok(
      readPng(plot.toPng()).count(
        { x0: 80, y0: 40, x1: 770, y1: 440 },
        ([r, g, b]) => r > 180 && g < 80 && b < 80,
      ) > 100,
    );
  });
});

describe("2-D plots", () => {
  test("LiveGrid fills a snaked raster in scan order", () => {
    const slow = linspace(-1, 1, 3);
    const fast = linspace(-2, 2, 5);
    const grid = new LiveGrid([3, 5], "det4", { extent: [-2.5, 2.5, -1.5, 1.5] });
    replay(gridScan({ slow, fast, snake: true, detector: (y, x) => 10 * y + x }), grid.callback);
    const image = grid.plot.image;
    assert.ok(image);
    // Cell (row, col) must hold 10 * slow[row] + fast[col] whatever the direction of travel.
    slow.forEach((y, row) => {
      fast.forEach((x, col) => {
        assert.equal(image.data[row * 5 + col], 10 * y + x, `cell ${row},${col}`);
      });
    });
    const pixels = readPng(grid.toPng());
    assert.ok(
      pixels.count({ x0: 80, y0: 40, x1: 690, y1: 440 }, ([r, g, b]) => g > r && b > 50) > 1000,
    );
    assert.throws(() => new LiveGrid([0, 3], "det4"), CallbackConfigurationError);
  });

  test("LiveScatter colours each point by intensity", () => {
    const scatter = new LiveScatter("motor1", "motor2", "det4");
    replay(gridScan({ slow: linspace(-1, 1, 4), fast: linspace(-1, 1, 4) }), scatter.callback);
    const series = scatter.plot.series[0];
    assert.equal(series?.kind, "scatter");
    assert.equal(series?.x.length, 16);
    assert.ok(
      readPng(scatter.toPng()).count({ x0: 80, y0: 40, x1: 690, y1: 440 }, isNotWhite) > 500,
    );
  });
});

describe("LiveImage", () => {
  test("shows the latest frame, row 0 at the top, and skips unfilled frames", () => {
    const run = composeRun({ metadata: { plan_name: "count" } });
    const stream = run.composeDescriptor({
      name: "primary",
      data_keys: { img: { dtype: "array", shape: [4, 6], source: "SIM:img" } },
    });
    const frame = (k: number) =>
      Array.from({ length: 4 }, (_, r) => Array.from({ length: 6 }, (_, c) => (r === 0 ? k : c)));
    const docs: NamedDocument[] = [
      ["start", run.startDoc],
      ["descriptor", stream.descriptorDoc],
      ["event", stream.composeEvent({ data: { img: frame(50) }, timestamps: { img: 1 } })],
      [
        "event",
        stream.composeEvent({
          data: { img: "datum/1" },
          timestamps: { img: 2 },
          filled: { img: false },
        }),
      ],
      ["stop", run.composeStop()],
    ];
    const view = new LiveImage("img", { colormap: "gray" });
    replay(docs, view.callback);
    const image = view.plot.image;
    assert.equal(image?.width, 6);
    assert.equal(image?.height, 4);
    assert.equal(view.plot.title, "img (event 1)");
    const pixels = readPng(view.toPng({ width: 600, height: 400 }));
    // Row 0 (value 50, the maximum: white) is the top quarter of the plot area (y 14..346).
    const [r] = pixels.at(300, 40);
    const [r2] = pixels.at(110, 300);
    assert.ok(r > 240, `top row is white (${r})`);
    assert.ok(r2 < 30, `column 0 below is black (${r2})`);
  });
});
