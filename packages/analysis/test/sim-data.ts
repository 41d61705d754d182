// Deterministic stand-ins for the sim detectors (ophyd.sim SynGauss): seeded noise, linspace scans.

/** A seeded uniform generator on [0, 1) (Park-Miller), so every test sees the same noise. */
export function seededRandom(seed: number): () => number {
  let state = Math.max(1, Math.floor(seed) % 2147483647);
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** Standard normal deviates from a uniform generator (Box-Muller). */
export function normalFrom(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

/** numpy.linspace(start, stop, num). */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  return Array.from({ length: num }, (_, i) => start + ((stop - start) * i) / (num - 1));
}

export interface SynGaussOptions {
  center?: number;
  imax?: number;
  sigma?: number;
  /** "uniform": v += uniform(-1, 1) * noiseMultiplier, as SynGauss; "normal": Gaussian noise. */
  noise?: "none" | "uniform" | "normal";
  noiseMultiplier?: number;
  seed?: number;
}

/** SynGauss readings at motor positions: imax * exp(-(m - center)^2 / (2 sigma^2)) plus noise. */
export function synGauss(motor: readonly number[], options: SynGaussOptions = {}): number[] {
  const { center = 0, imax = 1, sigma = 1, noise = "none", noiseMultiplier = 0.1 } = options;
  const random = seededRandom(options.seed ?? 1);
  const normal = normalFrom(random);
  return motor.map((m) => {
    const v = imax * Math.exp(-((m - center) ** 2) / (2 * sigma * sigma));
    if (noise === "uniform") return v + (2 * random() - 1) * noiseMultiplier;
    if (noise === "normal") return v + normal() * noiseMultiplier;
    return v;
  });
}

/** Pure noise of the given standard deviation around `level`. */
export function noise(count: number, seed: number, sd = 0.1, level = 0): number[] {
  const normal = normalFrom(seededRandom(seed));
  return Array.from({ length: count }, () => level + sd * normal());
}
