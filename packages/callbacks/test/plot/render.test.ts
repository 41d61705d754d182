import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { PlotModel } from "../../src/plot/plot-model.ts";
import { renderPng, svgToPng } from "../../src/plot/render-png.ts";
import { escapeXml } from "../../src/plot/svg-elements.ts";
import { renderSvg } from "../../src/plot/svg-render.ts";
import { renderTerminal } from "../../src/plot/terminal.ts";
import { formatTick, niceTicks } from "../../src/plot/ticks.ts";
import { isDark, isNotWhite, isSeriesBlue, readPng } from "../png-check.ts";

const gaussianPlot = (n: number): PlotModel => {
  const x = Array.from({ length: n }, (_, i) => -5 + (10 * i) / (n - 1));
  return {
    title: "det vs motor",
    x: { label: "motor" },
    y: { label: "det" },
    series: [{ kind: "line", label: "scan_id=1", x, y: x.map((v) => Math.exp((-v * v) / 2)) }],
    annotations: [{ kind: "vline", value: 0, label: "cen=0.000" }],
    legend: true,
  };
};

describe("SVG and PNG rendering", () => {
  test("a 1-D plot renders at the requested size with the data drawn in the plot area", () => {
    const pixels = readPng(renderPng(gaussianPlot(41), { width: 640, height: 400 }));
    assert.equal(pixels.width, 640);
    assert.equal(pixels.height, 400);
    // Plot area: left 78, right 640-22, top 36, bottom 400-54.
    const area = { x0: 80, y0: 38, x1: 616, y1: 344 };
    assert.ok(pixels.count(area, isSeriesBlue) > 300, "the data line is drawn");
    // Outside the frame on the right there is nothing but background.
    assert.equal(pixels.count({ x0: 622, y0: 0, x1: 640, y1: 400 }, isNotWhite), 0);
  });

  test("text renders with the loaded font, and not without one", () => {
    const svg = renderSvg(
      { ...gaussianPlot(5), series: [], annotations: [], title: "" },
      { width: 400, height: 300 },
    );
    // The x label "motor" sits centred under the plot area, near y = 300 - 54 + 42.
    const label = { x0: 150, y0: 272, x1: 260, y1: 296 };
    const withFont = readPng(svgToPng(svg)).count(label, isDark);
    const withoutFont = readPng(svgToPng(svg, { fontFiles: [], loadSystemFonts: false })).count(
      label,
      isDark,
    );
    assert.ok(withFont > 40, `label pixels ${withFont}`);
    assert.equal(withoutFont, 0);
  });

  test("a 10,000-point plot renders", () => {
    const pixels = readPng(renderPng(gaussianPlot(10_000)));
    assert.ok(pixels.count({ x0: 80, y0: 40, x1: 770, y1: 440 }, isSeriesBlue) > 500);
  });

  test("labels are escaped for XML", () => {
    assert.equal(escapeXml(`a<b & "c"`), "a&lt;b &amp; &quot;c&quot;");
    const svg = renderSvg({ ...gaussianPlot(3), title: "I<sub>0</sub> & co" });
    assert.ok(svg.includes("I&lt;sub&gt;0&lt;/sub&gt; &amp; co"));
    assert.ok(renderPng({ ...gaussianPlot(3), title: "I<sub>0</sub> & co" }).length > 1000);
  });

  test("an image layer is drawn with its colormap, row 0 at the bottom for origin lower", () => {
    const data = Array.from({ length: 4 * 4 }, (_, i) => (i < 4 ? 1 : 0));
    const plot: PlotModel = {
      title: "",
      x: { label: "x" },
      y: { label: "y" },
      series: [],
      annotations: [],
      legend: false,
      image: { width: 4, height: 4, data, origin: "lower", extent: [0, 4, 0, 4] },
    };
    const pixels = readPng(renderPng(plot, { width: 500, height: 400 }));
    // Plot area spans y 14..346: the bottom quarter is row 0 (value 1 -> viridis yellow).
    const [r, g, b] = pixels.at(200, 330);
    assert.ok(r > 200 && g > 200 && b < 80, `bottom is yellow: ${r},${g},${b}`);
    const [r2, , b2] = pixels.at(200, 30);
    assert.ok(r2 < 100 && b2 > 60, `top is dark purple: ${r2},${b2}`);
  });
});

describe("terminal rendering", () => {
  test("draws the curve in braille with the axis limits", () => {
    const text = renderTerminal(gaussianPlot(41), { width: 40, height: 10 });
    const lines = text.split("\n");
    assert.equal(lines[0], "det vs motor");
    assert.ok(/[\u2801-\u28ff]/.test(text));
    assert.ok(lines.some((l) => l.trimStart().startsWith("-5") && l.trimEnd().endsWith("5")));
    assert.ok(text.includes("motor"));
    // The peak (top row) is in the middle of the width.
    const top = lines[1] ?? "";
    const firstDot = top.search(/[\u2801-\u28ff]/) - top.indexOf("┤") - 1;
    assert.ok(firstDot > 15 && firstDot < 25, `peak column ${firstDot}`);
  });
});

describe("ticks", () => {
  test("nice ticks lie inside the range at 1, 2 or 5 times a power of ten", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (lo, span) => {
          // Spans near double precision of lo (1e-11 relative) cannot place ticks exactly.
          fc.pre(span > Math.abs(lo) * 1e-8);
          const { ticks, step } = niceTicks(lo, lo + span, 6);
          const mantissa = step / 10 ** Math.floor(Math.log10(step));
          assert.ok([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9));
          for (const t of ticks) assert.ok(t >= lo - step * 1e-6 && t <= lo + span + step * 1e-6);
          assert.ok(ticks.length >= 2 && ticks.length <= 16);
        },
      ),
    );
  });

  test("a range a few float steps wide gets its ends as ticks (it used to loop until out of memory)", () => {
    const lo = 0.3;
    const hi = 0.1 + 0.2; // 0.30000000000000004: a near-constant signal's range
    const { ticks, step } = niceTicks(lo, hi, 6);
    assert.deepEqual(ticks, [lo, hi]);
    assert.ok(step > 0 && Number.isFinite(step));
    assert.deepEqual(niceTicks(7, 7, 6).ticks, [7]);
  });

  test("tick labels have the decimals of the step", () => {
    assert.equal(formatTick(0.5, 0.5), "0.5");
    assert.equal(formatTick(2, 1), "2");
    assert.equal(formatTick(-1e-12, 0.5), "0");
    assert.equal(formatTick(2e6, 1e6), "2e6");
  });
});
