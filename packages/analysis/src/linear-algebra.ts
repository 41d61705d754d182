// Small dense linear algebra for least squares: the matrices are parameters x parameters (a few
// to a few dozen), so plain arrays and a Cholesky factorization are enough.

/** A square matrix as rows. */
export type Matrix = number[][];

/** The Cholesky factor L (lower, A = L Lᵀ) of a symmetric matrix, or null if not positive definite. */
export function cholesky(
  a: readonly (readonly number[])[],
  relativeTolerance = 1e-13,
): Matrix | null {
  const n = a.length;
  const l: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, Math.abs(a[i]?.[i] ?? 0));
  for (let j = 0; j < n; j++) {
    const lj = l[j] as number[];
    let diagonal = a[j]?.[j] ?? 0;
    for (let k = 0; k < j; k++) diagonal -= (lj[k] ?? 0) ** 2;
    if (!(diagonal > relativeTolerance * maxDiagonal) || !Number.isFinite(diagonal)) return null;
    const root = Math.sqrt(diagonal);
    lj[j] = root;
    for (let i = j + 1; i < n; i++) {
      const li = l[i] as number[];
      let sum = a[i]?.[j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (li[k] ?? 0) * (lj[k] ?? 0);
      li[j] = sum / root;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b given the Cholesky factor L. */
export function choleskySolve(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (l[i]?.[k] ?? 0) * (y[k] ?? 0);
    y[i] = sum / (l[i]?.[i] ?? 1);
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (l[k]?.[i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (l[i]?.[i] ?? 1);
  }
  return x;
}

/**
 * The inverse of a symmetric positive definite matrix, or null when it is singular (to working
 * precision). The matrix is scaled to a unit diagonal first, so parameters of very different
 * magnitudes do not look singular.
 */
export function invertSymmetric(a: readonly (readonly number[])[]): Matrix | null {
  const n = a.length;
  const scale = a.map((row, i) => {
    const d = row[i] ?? 0;
    return d > 0 ? 1 / Math.sqrt(d) : 0;
  });
  if (scale.some((s) => s === 0 || !Number.isFinite(s))) return null;
  const scaled = a.map((row, i) => row.map((v, j) => v * (scale[i] ?? 0) * (scale[j] ?? 0)));
  const l = cholesky(scaled, 1e-14);
  if (l === null) return null;
  const inverse: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const unit = new Array<number>(n).fill(0);
    unit[j] = 1;
    const column = choleskySolve(l, unit);
    for (let i = 0; i < n; i++) {
      (inverse[i] as number[])[j] = (column[i] ?? 0) * (scale[i] ?? 0) * (scale[j] ?? 0);
    }
  }
  return inverse;
}
