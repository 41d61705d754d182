/** The geometry of a simulated image: a round spot in the middle of the frame. */
export interface SpotGeometry {
  /** [rows, columns] */
  shape: readonly [number, number];
  /** Spot width (standard deviation), pixels. */
  spotSigma: number;
}

/**
 * One frame, row-major: `frame[r][c] = intensity · exp(−((c − cx)² + (r − cy)²) / (2 s²))`
 * with (cx, cy) = ((columns − 1)/2, (rows − 1)/2) and s = spotSigma.
 */
export function spotFrame(intensity: number, { shape, spotSigma }: SpotGeometry): Float64Array {
  const [rows, columns] = shape;
  const frame = new Float64Array(rows * columns);
  const cx = (columns - 1) / 2;
  const cy = (rows - 1) / 2;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      frame[r * columns + c] =
        intensity * Math.exp(-((c - cx) ** 2 + (r - cy) ** 2) / (2 * spotSigma ** 2));
    }
  }
  return frame;
}

/** The sum of a frame's pixels. */
export function frameSum(frame: Float64Array): number {
  let sum = 0;
  for (const pixel of frame) sum += pixel;
  return sum;
}
