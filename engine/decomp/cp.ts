// CP decomposition X ≈ Σᵣ wᵣ a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ … by alternating least squares (Kolda & Bader 2009,
// Fig. 3.3; Carroll & Chang 1970), with TensorLy's parafac conventions so results compare one to
// one: init 'svd' (leading left singular vectors, mode 0 scaled by the singular values), updates
// in mode order, the error after each sweep from the last mode's MTTKRP
// (√|‖X‖² + ‖X̂‖² − 2⟨X, X̂⟩| / ‖X‖), stop when i ≥ 1 and |e_{i−1} − e_i| < tol.
import type { RandomSource } from '../random';
import { hadamard, khatriRao, mat, mul, pinv, type Mat } from '../linalg';
import { Tensor, checkFinite, entriesOf, finiteSumSquares, normShift, scaleUp, scaledDown } from '../tensor';
import type { IterationHook } from './common';
import { errorRatio, matTo32 } from './dense64';
import { cpuDenseOps, residualBelow, type DenseOps } from './ops';

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

/** CP-ALS on the CPU (float64 on the host). */
export const cp = (input: Tensor, opts: CpOptions): Promise<CpResult> => cpWith(cpuDenseOps, input, opts);

/**
 * The algorithm, once, over a backend's dense ops (engine/decomp/ops.ts): the tensor stays where
 * the backend keeps it; each sweep's MTTKRPs come back to the host in float64, where the R × R
 * normal equations are solved (alsUpdate) and the factors kept, then uploaded for the next products.
 */
export async function cpWith<H, F>(ops: DenseOps<H, F>, input: Tensor, opts: CpOptions): Promise<CpResult> {
  const { rank } = opts;
  checkCp(input, rank);
  const normX2 = await finiteSumSquares(input);
  // The sweeps run on the input scaled by a power of two (exact) to a norm near 1: the float32
  // MTTKRPs and Grams of an input near 3e38 overflowed (near 1e-36 underflowed), and ALS then
  // ended at all-zero factors reported as a success. The scale goes back at the end (into the
  // last factor, which carries it after a sweep, or into the weights when normalized), where
  // float32 may refuse it, naming the output.
  const shift = normShift(normX2);
  if (shift !== 0) {
    const scaled = await cpWith(ops, await scaledDown(input, shift), opts);
    const up = (f: Tensor) => new Tensor(f.shape, Float32Array.from(f.data, (v) => scaleUp(v, shift)));
    return opts.normalize ? { ...scaled, weights: up(scaled.weights) } : { ...scaled, factors: scaled.factors.map((f, m) => (m === scaled.factors.length - 1 ? up(f) : f)) };
  }
  const shape = input.shape;
  const d = shape.length;
  const normX = Math.sqrt(normX2);
  const x: H = await ops.input(input, 'cp input');
  const uploaded: (F | null)[] = shape.map(() => null);
  const upload = (m: number, f: Mat) => {
    ops.release(uploaded[m]);
    uploaded[m] = ops.factor(f, `cp factor ${m}`);
  };
  try {
    const leading: { u: Mat; s: ArrayLike<number> }[] = [];
    if (opts.init === 'svd') for (let m = 0; m < d; m++) leading.push(await ops.leading(x, m, Math.min(rank, shape[m]!)));
    const factors = initFactors(shape, opts, (m) => leading[m]!);
    factors.forEach((f, m) => upload(m, f));
    let weights: Float64Array = new Float64Array(rank).fill(1);
    const trace: number[] = [];
    let iterations = 0;
    const below = residualBelow(ops);
    const residual = async () => errorRatio(Math.sqrt(await residualSquared(ops, x, factors, weights, uploaded[d - 1]!)), normX);
    // Whether the last trace entry is the residual's own norm (else the estimate).
    let lastExact = false;
    for (let i = 0; i < opts.maxIter; i++) {
      let lastMttkrp: Mat | null = null;
      for (let m = 0; m < d; m++) {
        const mt = await ops.mttkrp(x, uploaded as F[], m);
        weights = alsUpdate(factors, m, mt, weights, opts.normalize);
        upload(m, factors[m]!);
        lastMttkrp = mt;
      }
      // TensorLy's estimate √|‖X‖² + ‖X̂‖² − 2⟨X, X̂⟩| with ⟨X, X̂⟩ = Σᵢᵣ MTTKRPᵢᵣ·A_lastᵢᵣ·wᵣ and
      // ‖X̂‖² = Σ_{r,s} wᵣ w_s ∏ₖ (AₖᵀAₖ)_{rs}; below residualBelow it cancels (a float32 MTTKRP
      // jitters by ~1e-6 of ‖X‖²), and the residual is formed instead.
      const last = factors[d - 1]!;
      let iprod = 0;
      for (let j = 0; j < lastMttkrp!.data.length; j++) iprod += lastMttkrp!.data[j]! * last.data[j]! * weights[j % rank]!;
      let e = errorRatio(Math.sqrt(Math.abs(normX2 + cpNormSquared(factors, weights) - 2 * iprod)), normX);
      lastExact = !(e >= below);
      if (lastExact) e = await residual();
      trace.push(e);
      iterations = i + 1;
      opts.onIteration?.(i, e);
      // The zero tensor is exact after one sweep (its error is 0).
      if (normX === 0 || (i >= 1 && Math.abs(trace[i - 1]! - e) < opts.tol)) break;
    }
    // The reported error is the residual's own norm, and the trace ends at it.
    const relError = lastExact ? trace[trace.length - 1]! : await residual();
    if (trace.length) trace[trace.length - 1] = relError;
    return { weights: new Tensor([rank], Float32Array.from(weights)), factors: factors.map(matTo32), trace, iterations, relError };
  } finally {
    ops.release(x, ...uploaded);
    ops.done();
  }
}

/** ‖X − X̂‖F² with X̂ = KR(A₀·diag(w), A₁, …, A_{d−2})·A_{d−1}ᵀ (the Khatri-Rao rows in C order of
 * modes 0 … d−2, formed on the host in float64), one product written as X − X̂. */
async function residualSquared<H, F>(ops: DenseOps<H, F>, x: H, factors: readonly Mat[], weights: Float64Array, last: F): Promise<number> {
  const d = factors.length;
  const r = weights.length;
  let kr: Mat = mat(factors[0]!.rows, r, factors[0]!.data.map((v, i) => v * weights[i % r]!));
  for (let k = 1; k < d - 1; k++) kr = khatriRao(kr, factors[k]!);
  const krF = ops.factor(kr, 'cp Khatri-Rao');
  const res = ops.matmul(ops.asTensor(krF), ops.asTensor(last), { transB: true, from: ops.matrix(x, kr.rows, entriesOf(ops.shapeOf(x)) / kr.rows) });
  const r2 = await ops.sumSquares(res);
  ops.release(res, krF);
  return r2;
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
