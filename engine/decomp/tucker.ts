// Tucker decomposition X ≈ G ×₀ U₀ ×₁ U₁ … by truncated HOSVD (De Lathauwer, De Moor & Vandewalle,
// SIAM J. Matrix Anal. Appl. 21(4), 2000) and HOOI (ibid., 21(4):1324, 2000, Alg. 4.2), with
// TensorLy's stopping rule so results compare one to one: after each sweep
// e_i = √|‖X‖² − ‖G‖²| / ‖X‖, stop when i > 1 and |e_{i−1} − e_i| < tol. (TensorLy starts HOOI from
// the HOSVD, we from the sequentially truncated HOSVD; on the refs both stop within two sweeps of
// each other at the same error.)
import type { RandomSource } from '../random';
import { chooseRank, identityMat, mat, orthonormalize, type Mat } from '../linalg';
import { Tensor, checkFinite } from '../tensor';
import { leadingLeftOfUnfolding, type IterationHook } from './common';
import { errorRatio, matTo32, norm64, relError64, to32, to64, ttm64, type T64 } from './dense64';

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

export function tucker(input: Tensor, opts: TuckerOptions): TuckerResult {
  checkFinite(input);
  const x = to64(input);
  const { modes, ranks } = planTucker(x, opts);
  const normX = norm64(x);

  // Decomposed modes get Iₙ × rₙ orthonormal factors; the others stay null (identity).
  const factors: (Mat | null)[] = x.shape.map(() => null);
  if (opts.init === 'random') {
    for (const m of modes) {
      const g = mat(x.shape[m]!, ranks[m]!);
      opts.random.fillNormal(g.data);
      factors[m] = orthonormalize(g);
    }
  } else if (opts.method === 'hosvd') {
    for (const m of modes) factors[m] = leadingLeftOfUnfolding(x, m, ranks[m]!).u;
  } else {
    // HOOI starts from the sequentially truncated HOSVD (Vannieuwenhoven, Vandebril & Meerbergen,
    // SIAM J. Sci. Comput. 34(2), 2012): each mode's subspace from the tensor already projected on
    // the previous ones. Same quality of start as the HOSVD, a fraction of its cost on large
    // tensors (one full Gram matrix instead of d), and HOOI converges to the same factors.
    let y = x;
    for (const m of [...modes].sort((a, b) => x.shape[b]! / ranks[b]! - x.shape[a]! / ranks[a]! || b - a)) {
      factors[m] = leadingLeftOfUnfolding(y, m, ranks[m]!).u;
      y = ttm64(y, factors[m]!, m, true);
    }
  }

  const trace: number[] = [];
  let iterations = 0;
  if (opts.method === 'hooi') {
    for (let i = 0; i < opts.maxIter; i++) {
      for (const m of modes) factors[m] = leadingLeftOfUnfolding(project(x, factors, m), m, ranks[m]!).u;
      // ‖X − X̂‖² = ‖X‖² − ‖G‖² for orthonormal factors is cheap, but the difference cancels: its
      // relative accuracy is about ε·c/e² (c ~ 10², the rounding of the sums), 1e-8 at e = 1e-3 and
      // worse below, where the residual is formed instead, so the trace ends at the error the
      // node reports.
      const core = project(x, factors, -1);
      const estimate = errorRatio(Math.sqrt(Math.abs(normX * normX - norm64(core) ** 2)), normX);
      const e = estimate < 1e-3 ? residualError(x, core, factors) : estimate;
      trace.push(e);
      iterations = i + 1;
      opts.onIteration?.(i, e);
      // The zero tensor is exact after one sweep (its error is 0).
      if (normX === 0 || (i > 1 && Math.abs(trace[i - 1]! - e) < opts.tol)) break;
    }
  }
  const core = project(x, factors, -1);
  const full = factors.map((f, m) => f ?? identityMat(x.shape[m]!));
  return { core: to32(core), factors: full.map(matTo32), ranks, trace, iterations, relError: residualError(x, core, factors) };
}

/** ‖X − G ×ₘ Uₘ‖F / ‖X‖F from the reconstruction, in float64. */
function residualError(x: T64, core: T64, factors: readonly (Mat | null)[]): number {
  let rec = core;
  factors.forEach((f, m) => f && (rec = ttm64(rec, f, m, false)));
  return relError64(x.data, rec.data);
}

/** X ×ₘ Uₘᵀ over every decomposed mode except `skip`, the most shrinking contraction first; on
 * ties the later mode first, as a product on the last mode needs no transposition (ttm64). */
function project(x: T64, factors: readonly (Mat | null)[], skip: number): T64 {
  const order = factors
    .map((f, m) => ({ f, m }))
    .filter(({ f, m }) => f && m !== skip)
    .sort((a, b) => b.f!.rows / b.f!.cols - a.f!.rows / a.f!.cols || b.m - a.m);
  let y = x;
  for (const { f, m } of order) y = ttm64(y, f!, m, true);
  return y;
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
