// A small seeded generator (mulberry32), so an agent's candidate points repeat run to run.

/** Uniform numbers in [0, 1) from `seed`; the same seed gives the same sequence. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate (Box-Muller) from a uniform source. */
export function normalDeviate(uniform: () => number): number {
  const u = 1 - uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** A Latin hypercube of `n` points in the given bounds: each axis stratified into n bins. */
export function latinHypercube(
  n: number,
  bounds: readonly (readonly [number, number])[],
  uniform: () => number,
): number[][] {
  const columns = bounds.map(([low, high]) => {
    const values = Array.from({ length: n }, (_, i) => low + ((i + uniform()) / n) * (high - low));
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      [values[i], values[j]] = [values[j] as number, values[i] as number];
    }
    return values;
  });
  return Array.from({ length: n }, (_, i) => columns.map((c) => c[i] as number));
}
