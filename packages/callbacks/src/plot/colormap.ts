import type { ColormapName } from "./plot-model.ts";

/** Nine samples of matplotlib's viridis, evenly spaced from 0 to 1; interpolated between. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [0x44, 0x01, 0x54],
  [0x47, 0x2d, 0x7b],
  [0x3b, 0x52, 0x8b],
  [0x2c, 0x72, 0x8e],
  [0x21, 0x91, 0x8c],
  [0x28, 0xae, 0x80],
  [0x5e, 0xc9, 0x62],
  [0xad, 0xdc, 0x30],
  [0xfd, 0xe7, 0x25],
];

/** The colour of t in [0, 1] (clamped) as 8-bit [r, g, b]. */
export function colormapRgb(name: ColormapName, t: number): [number, number, number] {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  if (name === "gray") {
    const v = Math.round(u * 255);
    return [v, v, v];
  }
  const position = u * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(position));
  const f = position - i;
  const a = VIRIDIS[i] ?? [0, 0, 0];
  const b = VIRIDIS[i + 1] ?? a;
  return [0, 1, 2].map((c) => Math.round((a[c] ?? 0) + ((b[c] ?? 0) - (a[c] ?? 0)) * f)) as [
    number,
    number,
    number,
  ];
}

/** The colour as a CSS hex string. */
export function colormapHex(name: ColormapName, t: number): string {
  return `#${colormapRgb(name, t)
    .map((v) => v.toString(16).padStart(2, "0"))
    .join("")}`;
}
