// The Faddeeva function w(z) = exp(-z^2) erfc(-iz) in the upper half plane, by Weideman's rational
// expansion (SIAM J. Numer. Anal. 31, 1994): w(z) ~ 1/(sqrt(pi)(L - iz)) + 2/(L - iz)^2 sum a_n Z^(n-1),
// Z = (L + iz)/(L - iz). The coefficients a_n come from a cosine transform computed once here.

const TERMS = 36;
const SAMPLES = 2 * TERMS;
const L = Math.sqrt(TERMS / Math.SQRT2);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** a_1..a_N of Weideman's expansion, highest order first for Horner evaluation. */
const COEFFICIENTS: Float64Array = (() => {
  const samples: number[] = [];
  for (let k = -SAMPLES + 1; k < SAMPLES; k++) {
    const t = L * Math.tan((k * Math.PI) / SAMPLES / 2);
    samples.push(Math.exp(-t * t) * (L * L + t * t));
  }
  const out = new Float64Array(TERMS);
  for (let n = 1; n <= TERMS; n++) {
    let sum = 0;
    for (let j = 0; j < samples.length; j++) {
      const k = j - SAMPLES + 1;
      sum += (samples[j] ?? 0) * Math.cos((n * k * Math.PI) / SAMPLES);
    }
    out[TERMS - n] = sum / (2 * SAMPLES);
  }
  return out;
})();

/** A complex number as [re, im]. */
export type Complex = readonly [number, number];

/** The Faddeeva function w(x + iy) for y >= 0 (the half plane the Voigt profile needs). */
export function faddeeva(x: number, y: number): Complex {
  // With iz = -y + ix: L - iz = (L + y) - ix and L + iz = (L - y) + ix.
  const dr = L + y;
  const di = -x;
  const nr = L - y;
  const ni = x;
  const den = dr * dr + di * di;
  // Z = (L + iz) / (L - iz)
  const zr = (nr * dr + ni * di) / den;
  const zi = (ni * dr - nr * di) / den;
  let pr = 0;
  let pi = 0;
  for (const a of COEFFICIENTS) {
    const r = pr * zr - pi * zi + a;
    pi = pr * zi + pi * zr;
    pr = r;
  }
  // 1/(L - iz) and its square.
  const ir = dr / den;
  const ii = -di / den;
  const sr = ir * ir - ii * ii;
  const si = 2 * ir * ii;
  return [2 * (pr * sr - pi * si) + INV_SQRT_PI * ir, 2 * (pr * si + pi * sr) + INV_SQRT_PI * ii];
}
