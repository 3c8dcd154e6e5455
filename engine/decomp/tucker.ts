// Tucker decomposition X ≈ G ×₀ U₀ ×₁ U₁ … by truncated HOSVD (De Lathauwer, De Moor & Vandewalle,
// SIAM J. Matrix Anal. Appl. 21(4), 2000) and HOOI (ibid., 21(4):1324, 2000, Alg. 4.2), with
// TensorLy's stopping rule so results compare one to one: after each sweep
// e_i = √|‖X‖² − ‖G‖²| / ‖X‖, stop when i > 1 and |e_{i−1} − e_i| < tol. (TensorLy starts HOOI from
// the HOSVD, we from the sequentially truncated HOSVD; on the refs both stop within two sweeps of
// each other at the same error.)
import type { RandomSource } from '../random';
import { chooseRank, mat, orthonormalize, type Mat } from '../linalg';
import { Tensor, finiteSumSquares } from '../tensor';
import { leadingLeftOfUnfolding, type IterationHook } from './common';
import { errorRatio, matTo32, to64, type T64 } from './dense64';
import { cpuDenseOps, identity32, residualBelow, type DenseOps } from './ops';

export interface TuckerOptions {
  /** One rank per mode (null: keep the mode full); or give eps instead. */
  ranks?: readonly (number | null)[];
  /** Relative error target: each mode keeps the smallest r with tail ≤ eps·‖X‖/√(#modes). */
  eps?: number;
  method: 'hooi' | 'hosvd';
  /** 'svd': the HOSVD for method hosvd, the sequentially truncated HOSVD as HOOI's start. */
  init: 'svd' | 'random';
  maxIter: number;
  tol: number;
  /** The modes to decompose (default all); the others keep identity factors (partial Tucker). */
  modes?: readonly number[];
  random: RandomSource;
  onIteration?: IterationHook;
}

export interface TuckerResult {
  core: Tensor;
  factors: Tensor[];
  ranks: number[];
  /** TensorLy's per-sweep error estimate (empty for HOSVD). */
  trace: number[];
  iterations: number;
  /** ‖X − X̂‖F/‖X‖F computed from the reconstruction, in float64. */
  relError: number;
}

/** Tucker on the CPU (float64 on the host). */
export const tucker = (input: Tensor, opts: TuckerOptions): Promise<TuckerResult> => tuckerWith(cpuDenseOps, input, opts);

/**
 * The algorithm, once, over a backend's dense ops (engine/decomp/ops.ts): the tensor stays where
 * the backend keeps it; each mode's subspace comes from `leading` (host float64 where the
 * unfolding is small enough, a device's Gram matrix otherwise); the factors live on the host in
 * float64 and are uploaded for the products.
 */
export async function tuckerWith<H, F>(ops: DenseOps<H, F>, input: Tensor, opts: TuckerOptions): Promise<TuckerResult> {
  const normX2 = await finiteSumSquares(input);
  // eps picks the ranks from the unfoldings' spectra in float64 on the host.
  if (opts.eps !== undefined) await input.materialize();
  const { modes, ranks } = planTucker(input, opts);
  const shape = input.shape;
  const normX = Math.sqrt(normX2);
  const x: H = await ops.input(input, 'tucker input');
  // Decomposed modes get Iₙ × rₙ orthonormal factors (host float64, and uploaded); the others stay
  // null (identity).
  const factors: (Mat | null)[] = shape.map(() => null);
  const uploaded: (F | null)[] = shape.map(() => null);
  const setFactor = (m: number, u: Mat) => {
    factors[m] = u;
    ops.release(uploaded[m]);
    uploaded[m] = ops.factor(u, `tucker factor ${m}`);
  };
  const f = { host: factors, uploaded };
  try {
    if (opts.init === 'random') {
      for (const m of modes) {
        const g = mat(shape[m]!, ranks[m]!);
        opts.random.fillNormal(g.data);
        setFactor(m, orthonormalize(g));
      }
    } else if (opts.method === 'hosvd') {
      for (const m of modes) setFactor(m, (await ops.leading(x, m, ranks[m]!)).u);
    } else {
      // HOOI starts from the sequentially truncated HOSVD (Vannieuwenhoven, Vandebril & Meerbergen,
      // SIAM J. Sci. Comput. 34(2), 2012): each mode's subspace from the tensor already projected on
      // the previous ones, the most shrinking mode first. Same quality of start as the HOSVD, a
      // fraction of its cost on large tensors (one full Gram matrix instead of d), and HOOI
      // converges to the same factors.
      let y = x;
      for (const m of [...modes].sort((a, b) => shape[b]! / ranks[b]! - shape[a]! / ranks[a]! || b - a)) {
        setFactor(m, (await ops.leading(y, m, ranks[m]!)).u);
        const next = ops.ttm(y, uploaded[m]!, m, true);
        if (y !== x) ops.release(y);
        y = next;
      }
      if (y !== x) ops.release(y);
    }

    const trace: number[] = [];
    let iterations = 0;
    // Whether the last trace entry is the residual's own norm (else an estimate).
    let lastExact = false;
    if (opts.method === 'hooi') {
      const below = residualBelow(ops);
      for (let i = 0; i < opts.maxIter; i++) {
        let spectrum: Float64Array | null = null;
        for (const m of modes) {
          const y = project(ops, x, f, m);
          const { u, s, float64 } = await ops.leading(y, m, ranks[m]!);
          setFactor(m, u);
          spectrum = float64 ? s.subarray(0, ranks[m]!) : null;
          if (y !== x) ops.release(y);
        }
        // TensorLy's estimate √|‖X‖² − ‖G‖²| with ‖G‖² = Σ σ² of the last mode's projected
        // unfolding (known in float64 where its subspace was computed on the host); below
        // residualBelow the difference of squares cancels, and the residual is formed instead, so
        // the trace ends at the error the node reports.
        let e = NaN;
        if (spectrum) {
          let g2 = 0;
          for (const v of spectrum) g2 += v * v;
          e = errorRatio(Math.sqrt(Math.abs(normX2 - g2)), normX);
        }
        lastExact = !(e >= below);
        if (lastExact) e = errorRatio(await residualNorm(ops, x, f), normX);
        trace.push(e);
        iterations = i + 1;
        opts.onIteration?.(i, e);
        // The zero tensor is exact after one sweep (its error is 0).
        if (normX === 0 || (i > 1 && Math.abs(trace[i - 1]! - e) < opts.tol)) break;
      }
    }
    const coreH = project(ops, x, f, -1);
    const core = await ops.read(coreH);
    if (coreH !== x) ops.release(coreH);
    // The reported error is the residual's own norm, and the trace ends at it.
    const relError = lastExact ? trace[trace.length - 1]! : errorRatio(await residualNorm(ops, x, f), normX);
    if (trace.length) trace[trace.length - 1] = relError;
    return { core, factors: factors.map((u, m) => (u ? matTo32(u) : identity32(shape[m]!))), ranks, trace, iterations, relError };
  } finally {
    ops.release(x, ...uploaded);
    ops.done();
  }
}

interface Factors<F> {
  host: readonly (Mat | null)[];
  uploaded: readonly (F | null)[];
}

/** The decomposed modes other than `skip` in contraction order: the most shrinking first; on ties
 * the later mode first, as a product on the last mode needs no transposition. */
function order(factors: readonly (Mat | null)[], skip: number): number[] {
  return factors
    .map((f, m) => ({ f, m }))
    .filter(({ f, m }) => f && m !== skip)
    .sort((a, b) => b.f!.rows / b.f!.cols - a.f!.rows / a.f!.cols || b.m - a.m)
    .map(({ m }) => m);
}

/** X ×ₘ Uₘᵀ over every decomposed mode except `skip`; x itself when nothing is contracted. */
function project<H, F>(ops: DenseOps<H, F>, x: H, f: Factors<F>, skip: number): H {
  let y = x;
  for (const m of order(f.host, skip)) {
    const next = ops.ttm(y, f.uploaded[m]!, m, true);
    if (y !== x) ops.release(y);
    y = next;
  }
  return y;
}

/** ‖X − G ×ₙ Uₙ‖F with G = X ×ₙ Uₙᵀ: the core expanded mode by mode, the last product written as
 * X − X̂. */
async function residualNorm<H, F>(ops: DenseOps<H, F>, x: H, f: Factors<F>): Promise<number> {
  const core = project(ops, x, f, -1);
  const expand = order(f.host, -1).reverse();
  let y = core;
  expand.forEach((m, i) => {
    const next = i === expand.length - 1 ? ops.ttmFrom(y, f.uploaded[m]!, m, x) : ops.ttm(y, f.uploaded[m]!, m, false);
    if (y !== x) ops.release(y);
    y = next;
  });
  const r = Math.sqrt(await ops.sumSquares(y));
  if (y !== x) ops.release(y);
  return r;
}

/** The decomposed modes and every mode's rank (eps: from the unfoldings' spectra in float64). */
export function planTucker(input: Tensor | T64, opts: Pick<TuckerOptions, 'modes' | 'ranks' | 'eps'>): { modes: number[]; ranks: number[] } {
  const d = input.shape.length;
  const modes = [...(opts.modes ?? input.shape.map((_, i) => i))];
  for (const m of modes) if (!Number.isInteger(m) || m < 0 || m >= d) throw new Error(`mode ${m} is out of range for a ${d}-D tensor (modes 0…${d - 1})`);
  const x = !(input instanceof Tensor) ? input : opts.eps !== undefined ? to64(input as Tensor) : { shape: [...input.shape], data: new Float64Array(0) };
  return { modes, ranks: chooseRanks(x, modes, opts) };
}

function chooseRanks(x: T64, modes: number[], opts: Pick<TuckerOptions, 'ranks' | 'eps'>): number[] {
  const ranks = [...x.shape];
  if (opts.eps !== undefined) {
    if (!(opts.eps > 0)) throw new Error(`eps must be > 0 (a relative error target such as 1e-3), got ${opts.eps}`);
    // δ = eps·‖X‖/√d per mode (the truncated-HOSVD bound): tails from the unfoldings' spectra.
    const tol = opts.eps / Math.sqrt(modes.length);
    for (const m of modes) ranks[m] = Math.max(1, chooseRank(leadingLeftOfUnfolding(x, m, 0).s, { tol }));
    return ranks;
  }
  const given = opts.ranks ?? [];
  for (const m of modes) {
    const r = given[m] ?? null;
    if (r === null) continue;
    if (!Number.isInteger(r) || r < 1) throw new Error(`rank ${r} on mode ${m} must be a positive integer`);
    if (r > x.shape[m]!) throw new Error(`rank ${r} on mode ${m} exceeds that mode's size ${x.shape[m]}; use at most ${x.shape[m]}`);
    ranks[m] = r;
  }
  return ranks;
}
