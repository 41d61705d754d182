import { equal, ok, throws } from "node:assert/strict";
import { describe, it } from "node:test";
import {
  normalizedCrossCorrelation,
  reconstructionCircle,
  rootMeanSquareError,
} from "../../src/tomography/image-similarity.ts";

describe("image similarity", () => {
  const image = [
    [0, 1, 2],
    [3, 5, 8],
    [1, 0, 4],
  ];

  it("gives NCC 1 for the same image at another brightness and contrast, −1 for its negative", () => {
    const brighter = image.map((row) => row.map((v) => 3 * v + 10));
    ok(Math.abs(normalizedCrossCorrelation(image, brighter) - 1) < 1e-12);
    ok(
      Math.abs(
        normalizedCrossCorrelation(
          image,
          image.flat().map((v) => -v),
        ) + 1,
      ) < 1e-12,
    );
  });

  it("measures RMSE in the images' units, on the masked pixels only", () => {
    const shifted = image.map((row) => row.map((v) => v + 0.5));
    ok(Math.abs(rootMeanSquareError(image, shifted) - 0.5) < 1e-12);
    const spoiled = image.map((row) => [...row]);
    (spoiled[0] as number[])[0] = 100;
    const mask = [false, true, true, true, true, true, true, true, true];
    equal(rootMeanSquareError(image, spoiled, mask), 0);
  });

  it("keeps the pixels inside the inscribed circle", () => {
    const mask = reconstructionCircle(4);
    equal(mask.filter(Boolean).length, 12);
    equal(mask[0], false);
    equal(mask[5], true);
  });

  it("refuses images of different sizes, giving both", () => {
    throws(() => rootMeanSquareError([1, 2, 3], [1, 2]), /images of 3 and 2 pixels/);
    throws(() => normalizedCrossCorrelation([[1, 2], [3]], [1, 2, 3]), /row 1 has 1 pixels/);
  });
});
