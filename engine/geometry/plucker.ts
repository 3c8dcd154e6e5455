// Plücker coordinates of the plane spanned by two vectors: p_ij = u_i v_j − u_j v_i for i < j, in
// lexicographic order (0,1), (0,2), …, (0,k−1), (1,2), … — the k(k−1)/2 coordinates of u ∧ v, a point
// of the Grassmannian G(2, k) in its Plücker embedding. For k = 4 they satisfy the Klein quadric
// p01·p23 − p02·p13 + p03·p12 = 0, and read as a line of 3-D space (direction, moment).

/** Number of Plücker coordinates of a pair of k-vectors. */
export const pluckerSize = (k: number): number => (k * (k - 1)) / 2;

/** u ∧ v into `out` (length k(k−1)/2) in float64; returns its Euclidean norm. */
export function pluckerInto(u: ArrayLike<number>, v: ArrayLike<number>, k: number, out: Float64Array, at = 0): number {
  let idx = at;
  let norm2 = 0;
  for (let i = 0; i < k; i++) {
    const ui = u[i]!;
    const vi = v[i]!;
    for (let j = i + 1; j < k; j++) {
      const p = ui * v[j]! - u[j]! * vi;
      out[idx++] = p;
      norm2 += p * p;
    }
  }
  return Math.sqrt(norm2);
}

/** The Klein quadric p01·p23 − p02·p13 + p03·p12 of four-dimensional Plücker coordinates (0 for any
 * u ∧ v up to rounding), relative to ‖p‖² (0 when p = 0). */
export function kleinResidual(p: ArrayLike<number>, at = 0): number {
  const [p01, p02, p03, p12, p13, p23] = [0, 1, 2, 3, 4, 5].map((i) => p[at + i]!) as [number, number, number, number, number, number];
  const n2 = p01 * p01 + p02 * p02 + p03 * p03 + p12 * p12 + p13 * p13 + p23 * p23;
  return n2 === 0 ? 0 : Math.abs(p01 * p23 - p02 * p13 + p03 * p12) / n2;
}

/** A line of 3-D space from four-dimensional Plücker coordinates: direction d = (p01, p02, p03),
 * moment m = (p23, −p13, p12), the point closest to the origin d × m / |d|². A line at infinity
 * (|d| ≤ tol·‖p‖) has no such point: `atInfinity` is set and `point` is NaN. */
export function pluckerLine(p: ArrayLike<number>, at = 0, tol = 1e-9): { point: [number, number, number]; direction: [number, number, number]; moment: [number, number, number]; atInfinity: boolean } {
  const d: [number, number, number] = [p[at]!, p[at + 1]!, p[at + 2]!];
  const m: [number, number, number] = [p[at + 5]!, -p[at + 4]!, p[at + 3]!];
  const d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
  const n2 = d2 + m[0] * m[0] + m[1] * m[1] + m[2] * m[2];
  if (n2 === 0 || d2 <= tol * tol * n2) return { point: [NaN, NaN, NaN], direction: d, moment: m, atInfinity: true };
  const c: [number, number, number] = [(d[1] * m[2] - d[2] * m[1]) / d2, (d[2] * m[0] - d[0] * m[2]) / d2, (d[0] * m[1] - d[1] * m[0]) / d2];
  return { point: c, direction: d, moment: m, atInfinity: false };
}
