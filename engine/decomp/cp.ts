// CP decomposition X ≈ Σᵣ wᵣ a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ … by alternating least squares (Kolda & Bader 2009,
// Fig. 3.3; Carroll & Chang 1970), with TensorLy's parafac conventions so results compare one to
// one: init 'svd' (leading left singular vectors, mode 0 scaled by the singular values), updates
// in mode order, the error after each sweep from the last mode's MTTKRP
// (√|‖X‖² + ‖X̂‖² − 2⟨X, X̂⟩| / ‖X‖), stop when i ≥ 1 and |e_{i−1} − e_i| < tol.
import type { RandomSource } from '../random';
import { hadamard, khatriRao, mat, mul, pinv, transpose, type Mat } from '../linalg';
import { Tensor, checkFinite, gemmRowsByRows, permute, unfold } from '../tensor';
import { leadingLeftOfUnfolding, type IterationHook } from './common';
import { errorRatio, matTo32, norm64, relError64, to64 } from './dense64';

export interface CpOptions {
  rank: number;
  init: 'svd' | 'random';
  maxIter: number;
  tol: number;
  /** Keep unit-norm factor columns, their norms in the weights (TensorLy's normalize_factors). */
  normalize: boolean;
  random: RandomSource;
  onIteration?: IterationHook;
}

export interface CpResult {
  weights: Tensor;
  factors: Tensor[];
  trace: number[];
  iterations: number;
  relError: number;
}

/** Checks the input and rank (finite, order ≥ 2, integer rank ≥ 1). */
export function checkCp(input: Tensor, rank: number): void {
  checkFinite(input);
  if (!Number.isInteger(rank) || rank < 1) throw new Error(`rank must be a positive integer, got ${rank}`);
  if (input.ndim < 2) throw new Error(`CP needs a tensor of order ≥ 2, got shape [${input.shape.join('×')}]`);
}

/**
 * The least-squares update of mode m from its MTTKRP, in place: the weighted factor
 * B = Aₘ·diag(w) with the others fixed is MTTKRP·V⁺, V = ∗_{k≠m} AₖᵀAₖ. Without normalisation w
 * stays 1 (TensorLy's default path); with it, the other factors have unit columns and w moves into
 * the mode just updated. Returns the weights.
 */
export function alsUpdate(factors: Mat[], m: number, mt: Mat, weights: Float64Array, normalize: boolean): Float64Array {
  const rank = mt.cols;
  let v = mat(rank, rank, new Float64Array(rank * rank).fill(1));
  factors.forEach((f, k) => k !== m && (v = hadamard(v, mul(f, f, { transA: true }))));
  let f = mul(mt, pinv(v));
  if (normalize) {
    const norms = columnNorms(f);
    weights = norms.map((n) => (n === 0 ? 1 : n));
    f = mat(f.rows, f.cols, f.data.map((y, idx) => y / weights[idx % rank]!));
  }
  factors[m] = f;
  return weights;
}

export function cp(input: Tensor, opts: CpOptions): CpResult {
  const { rank } = opts;
  checkCp(input, rank);
  // The sweeps run on the input scaled by a power of two (exact) to a peak near 1: the float32
  // MTTKRPs of an input near 3e38 overflowed, and ALS then ended at all-zero factors reported as a
  // success. The scale goes back at the end (into the last factor, which carries it after a
  // sweep, or into the weights when normalized), where float32 may refuse it, naming the output.
  const shift = scaleShift(input.data);
  if (shift !== 0) {
    const scaled = cp(new Tensor(input.shape, input.data.map((v) => v * 2 ** -shift)), opts);
    const up = (f: Tensor) => new Tensor(f.shape, Float32Array.from(f.data, (v) => v * 2 ** shift));
    return opts.normalize ? { ...scaled, weights: up(scaled.weights) } : { ...scaled, factors: scaled.factors.map((f, m) => (m === scaled.factors.length - 1 ? up(f) : f)) };
  }
  const x = to64(input);
  const d = x.shape.length;
  const mttkrpOf = d === 3 ? threeWayMttkrp(input) : generalMttkrp(input);
  const normX = norm64(x);
  const factors = initFactors(x.shape, opts, (m, k) => leadingLeftOfUnfolding(x, m, k));
  let weights: Float64Array = new Float64Array(rank).fill(1);
  const trace: number[] = [];
  let iterations = 0;
  for (let i = 0; i < opts.maxIter; i++) {
    let lastMttkrp: Mat | null = null;
    for (let m = 0; m < d; m++) {
      const mt = mttkrpOf(factors, m);
      weights = alsUpdate(factors, m, mt, weights, opts.normalize);
      lastMttkrp = mt;
    }
    // ⟨X, X̂⟩ = Σᵢᵣ MTTKRPᵢᵣ·A_lastᵢᵣ·wᵣ; ‖X̂‖² = Σ_{r,s} wᵣ w_s ∏ₖ (AₖᵀAₖ)_{rs}.
    const last = factors[d - 1]!;
    let iprod = 0;
    for (let j = 0; j < lastMttkrp!.data.length; j++) iprod += lastMttkrp!.data[j]! * last.data[j]! * weights[j % rank]!;
    const e = errorRatio(Math.sqrt(Math.abs(normX * normX + cpNormSquared(factors, weights) - 2 * iprod)), normX);
    trace.push(e);
    iterations = i + 1;
    opts.onIteration?.(i, e);
    // The zero tensor is exact after one sweep (its error is 0).
    if (normX === 0 || (i >= 1 && Math.abs(trace[i - 1]! - e) < opts.tol)) break;
  }
  const rec = cpReconstruct64(factors, weights, x.shape);
  return {
    weights: new Tensor([rank], Float32Array.from(weights)),
    factors: factors.map(matTo32),
    trace,
    iterations,
    relError: relError64(x.data, rec),
  };
}

/** The power of two that brings the peak |value| into [2⁻²⁰, 2²⁰] (0 when it is there already, or
 * the data is all zero). */
function scaleShift(data: ArrayLike<number>): number {
  let peak = 0;
  for (let i = 0; i < data.length; i++) peak = Math.max(peak, Math.abs(data[i]!));
  if (peak === 0 || (peak >= 2 ** -20 && peak <= 2 ** 20)) return 0;
  return Math.floor(Math.log2(peak));
}

/** Singular values at or below this fraction of the largest are taken as absent in the svd init:
 * float32 data has no directions below ~1e-7 of its norm, and a direction holding 1e-10 of the
 * energy is no better a start than a random one. */
const DEAD_DIRECTION = 1e-5;

/** TensorLy's initial factors: uniform [0, 1) (random), or each mode's k = min(R, Iₘ) leading left
 * singular vectors from `leading` (svd), mode 0 scaled by its singular values; columns the
 * unfolding has no direction for (beyond its numerical rank, or its size) start random. */
export function initFactors(shape: readonly number[], opts: Pick<CpOptions, 'rank' | 'random' | 'init'>, leading: (mode: number, k: number) => { u: Mat; s: ArrayLike<number> }): Mat[] {
  const { rank, random } = opts;
  return shape.map((n, m) => {
    const f = mat(n, rank);
    if (opts.init === 'random') {
      random.fillUniform(f.data);
      return f;
    }
    const k = Math.min(rank, n);
    const { u, s } = leading(m, k);
    // Singular vectors past the unfolding's numerical rank span directions the tensor does not
    // have: X annihilates them, so components started there get zero updates and stay dead (ranks
    // 5 and 8 ended at rank 4's error on a Tucker-rank-4 tensor). They start random instead, as do
    // components past the mode's size (TensorLy), so a higher rank is never held back by its init.
    let live = 0;
    while (live < k && s[live]! > DEAD_DIRECTION * s[0]!) live++;
    for (let i = 0; i < n; i++) for (let j = 0; j < live; j++) f.data[i * rank + j] = u.data[i * k + j]! * (m === 0 ? s[j]! : 1);
    for (let i = 0; i < n; i++) for (let j = live; j < rank; j++) f.data[i * rank + j] = random.uniform();
    return f;
  });
}

type MttkrpOf = (factors: Mat[], mode: number) => Mat;

/** Any order: one product of the float32 unfolding with the Khatri-Rao product per mode. The
 * unfoldings stay float32 (the input's own values), half the bytes to stream each sweep. */
function generalMttkrp(x: Tensor): MttkrpOf {
  const unfoldings = x.shape.map((_, m) => unfold(x, m));
  return (factors, m) => mttkrp(unfoldings[m]!, factors, m);
}

/**
 * Order 3, by a dimension tree (Phan, Tichavský & Cichocki, IEEE TSP 61(19), 2013): modes 0 and 1
 * share P = X ×₂ C (one product per sweep, reused because C does not change between their
 * updates) and mode 2 uses Q = X ×₀ A. Two large products per sweep instead of three, each over
 * rows of length K or I, which stay in cache; the small contractions with B are O(IJR).
 */
function threeWayMttkrp(x: Tensor): MttkrpOf {
  const [I, J, K] = x.shape as [number, number, number];
  const xjki = permute(x, [1, 2, 0]).data; // (J·K) × I, row-major
  let p: Float64Array | null = null; // P[(i, j), r] = Σ_k X[i, j, k] C[k, r]
  return (f, m) => {
    const R = f[0]!.cols;
    const out = mat(x.shape[m]!, R);
    if (m === 0) p = gemmRowsByRows(x.data, transpose(f[2]!).data, I * J, R, K, new Float64Array(I * J * R));
    if (m === 0 || m === 1) {
      // M0[i, r] = Σ_j P[i, j, r]·B[j, r];  M1[j, r] = Σ_i P[i, j, r]·A[i, r].
      const other = m === 0 ? f[1]! : f[0]!;
      for (let i = 0; i < I; i++)
        for (let j = 0; j < J; j++) {
          const row = (i * J + j) * R;
          const [o, w] = m === 0 ? [i * R, j * R] : [j * R, i * R];
          for (let r = 0; r < R; r++) out.data[o + r]! += p![row + r]! * other.data[w + r]!;
        }
      return out;
    }
    // Q[(j, k), r] = Σ_i X[i, j, k] A[i, r];  M2[k, r] = Σ_j Q[j, k, r]·B[j, r].
    const q = gemmRowsByRows(xjki, transpose(f[0]!).data, J * K, R, I, new Float64Array(J * K * R));
    const b = f[1]!;
    for (let j = 0; j < J; j++)
      for (let k = 0; k < K; k++) {
        const row = (j * K + k) * R;
        for (let r = 0; r < R; r++) out.data[k * R + r]! += q[row + r]! * b.data[j * R + r]!;
      }
    return out;
  };
}

/** MTTKRP X_(m)·(⊙_{k≠m} Aₖ) from the float32 unfolding X_(m) (Khatri-Rao rows in C order of the
 * other modes), summed in float64. */
export function mttkrp(xm: Tensor, factors: Mat[], mode: number): Mat {
  let kr: Mat | null = null;
  factors.forEach((f, k) => {
    if (k !== mode) kr = kr ? khatriRao(kr, f) : f;
  });
  const [rows, cols] = xm.shape as [number, number];
  const r = kr!.cols;
  return mat(rows, r, gemmRowsByRows(xm.data, transpose(kr!).data, rows, r, cols, new Float64Array(rows * r)));
}

function cpNormSquared(factors: Mat[], weights: Float64Array): number {
  const r = weights.length;
  let g = mat(r, r, new Float64Array(r * r).fill(1));
  for (const f of factors) g = hadamard(g, mul(f, f, { transA: true }));
  let s = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) s += weights[i]! * weights[j]! * g.data[i * r + j]!;
  return s;
}

function columnNorms(f: Mat): Float64Array {
  const n = new Float64Array(f.cols);
  for (let i = 0; i < f.rows; i++) for (let j = 0; j < f.cols; j++) n[j]! += f.data[i * f.cols + j]! ** 2;
  return n.map(Math.sqrt);
}

/** Σᵣ wᵣ a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ … in float64, C order. */
export function cpReconstruct64(factors: Mat[], weights: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const r = weights.length;
  let kr: Mat = mat(factors[0]!.rows, r, factors[0]!.data.map((v, i) => v * weights[i % r]!));
  for (let k = 1; k < factors.length - 1; k++) kr = khatriRao(kr, factors[k]!);
  if (factors.length === 1) return Float64Array.from({ length: shape[0]! }, (_, i) => kr.data.subarray(i * r, (i + 1) * r).reduce((a, b) => a + b, 0));
  return mul(kr, factors[factors.length - 1]!, { transB: true }).data;
}
