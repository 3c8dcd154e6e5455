// Colour maps for the views: viridis (matplotlib's perceptually uniform map) for magnitudes, sampled at
// 9 points and interpolated linearly, and a diverging map for signed values.
const STOPS: [number, number, number][] = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

// Moreland's "cool to warm" diverging map (perceptually balanced), 0.5 = white-ish grey at 0.
const DIVERGING: [number, number, number][] = [
  [59, 76, 192], [98, 130, 234], [141, 176, 254], [184, 208, 249], [221, 221, 221], [245, 196, 173], [244, 154, 123], [222, 96, 77], [180, 4, 38],
];

/** Signed values: t in [−1, 1] (v / max|v|) to blue … grey … red. */
export function diverging(t: number): [number, number, number] {
  const x = (Math.min(1, Math.max(-1, Number.isFinite(t) ? t : 0)) + 1) * 0.5 * (DIVERGING.length - 1);
  const i = Math.min(DIVERGING.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [DIVERGING[i]!, DIVERGING[i + 1]!];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** max |v| over an array of any length (no argument spreading), at least `floor`. */
export function peakAbs(values: ArrayLike<number>, floor = 1e-30): number {
  let m = floor;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (a > m) m = a;
  }
  return m;
}

/** Viridis from bottom to top as a CSS gradient (colour bars). */
export const VIRIDIS_CSS = `linear-gradient(to top, ${[0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${viridis(t).join(',')})`).join(', ')})`;
