import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DataKey, EventDescriptor, RunStart } from "@cerulean/event-model";
import { chooseDefaultPlot } from "../../src/hdf5/default-plot.ts";

const key = (shape: number[] = [], dtype: DataKey["dtype"] = "number"): DataKey => ({
  dtype,
  shape,
  source: "s",
});

function descriptor(
  data_keys: Record<string, DataKey>,
  hints: EventDescriptor["hints"] = {},
  name = "primary",
): EventDescriptor {
  return { uid: "d", time: 0, run_start: "r", name, data_keys, hints };
}

const start = (extra: Record<string, unknown> = {}): RunStart => ({ uid: "r", time: 0, ...extra });

describe("the default plot (NXdata) of a stream", () => {
  it("plots the hinted fields against the start's hinted dimensions", () => {
    const plot = chooseDefaultPlot(
      start({
        hints: {
          dimensions: [
            [["th"], "primary"],
            [["x"], "baseline"],
          ],
        },
      }),
      descriptor(
        { th: key(), det: key(), det2: key(), img: key([4, 4], "array") },
        { det: { fields: ["det", "det2", "img"] } },
      ),
    );
    assert.deepEqual(plot, {
      signal: "det",
      auxiliarySignals: ["det2"],
      axes: ["th"],
      axisFields: ["th"],
    });
  });

  it("falls back to the start's motors, then to time, for the axes", () => {
    const keys = { m1: key(), m2: key(), det: key() };
    assert.deepEqual(
      chooseDefaultPlot(
        start({ motors: ["m1", "m2"] }),
        descriptor(keys, { det: { fields: ["det"] } }),
      )?.axisFields,
      ["m1", "m2"],
    );
    assert.deepEqual(
      chooseDefaultPlot(start(), descriptor(keys, { det: { fields: ["det"] } }))?.axes,
      ["time"],
    );
  });

  it("uses numeric scalars when nothing is hinted, and nothing when there is nothing to plot", () => {
    const plot = chooseDefaultPlot(
      start({ motors: ["m"] }),
      descriptor({ m: key(), name: key([], "string"), i: key([], "integer") }),
    );
    assert.equal(plot?.signal, "i");
    assert.equal(chooseDefaultPlot(start(), descriptor({ name: key([], "string") })), null);
  });

  it("gives an image signal one axis per dimension, the frame's own marked '.'", () => {
    const plot = chooseDefaultPlot(
      start(),
      descriptor({ cam: key([8, 6], "array") }, { cam: { fields: ["cam"] } }),
    );
    assert.deepEqual(plot?.axes, ["time", ".", "."]);
  });
});
