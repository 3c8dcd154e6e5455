// Tensor train by TT-SVD (Oseledets, "Tensor-train decomposition", SIAM J. Sci. Comput. 33(5),
// 2011, Alg. 1): sweep left to right, unfolding the remainder to (r_k·I_k) × rest in C order,
// truncating its SVD, carrying diag(s)·Vᵀ on. With eps, each step keeps the smallest r with tail
// ≤ δ = eps/√(d−1)·‖A‖F, so ‖A − TT‖F ≤ eps·‖A‖F. Exact SVDs (Jacobi, float64) make the rank
// decisions agree with LAPACK's.
import { chooseRank, leadingColumns, mat, mul, svd, type Mat } from '../linalg';
import { Tensor, checkFinite } from '../tensor';
import { leadingLeft } from './common';
import { norm64, relError64, to64 } from './dense64';

export interface TtOptions {
  /** Cap on the bond ranks: one number for all, or the d+1 ranks [1, r₁, …, 1] / d−1 inner ones. */
  maxRank?: number | readonly number[];
  /** Relative error target (0 < eps); with maxRank too, the smaller rank wins. */
  eps?: number;
  /** Called after each step with (step, number of steps, the bond rank chosen). */
  onStep?: (step: number, steps: number, rank: number) => void;
}

export interface TtResult {
  cores: Tensor[];
  ranks: number[];
  relError: number;
}

export function tt(input: Tensor, opts: TtOptions): TtResult {
  const x = to64(input);
  const d = x.shape.length;
  const { caps, tol } = planTt(input, opts);
  const ranks = [1];
  const cores: Tensor[] = [];
  let rest = mat(x.shape[0]!, x.data.length / x.shape[0]!, x.data);
  for (let k = 0; k < d - 1; k++) {
    const rows = ranks[k]! * x.shape[k]!;
    const c = mat(rows, rest.data.length / rows, rest.data);
    const { u, r } = ttStep(c, caps[k], tol);
    const core = new Float32Array(rows * r);
    for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) core[i * r + j] = u.data[i * u.cols + j]!;
    cores.push(new Tensor([ranks[k]!, x.shape[k]!, r], core));
    // rest = U_rᵀ·C = diag(s)·Vᵀ (r × cols): the part of C in the kept subspace.
    rest = mul(leadingColumns(u, r), c, { transA: true });
    ranks.push(r);
    opts.onStep?.(k, d - 1, r);
  }
  cores.push(new Tensor([ranks[d - 1]!, x.shape[d - 1]!, 1], Float32Array.from(rest.data)));
  ranks.push(1);
  const rec = ttReconstruct(cores);
  const normX = norm64(x);
  return { cores, ranks, relError: normX === 0 ? 0 : relError64(x.data, rec) };
}

/** The checked options: finite input, eps > 0 or a rank cap, the d−1 inner rank caps and the
 * per-step tolerance δ/‖A‖ = eps/√(d−1). */
export function planTt(input: Tensor, opts: TtOptions): { caps: (number | undefined)[]; tol: number | undefined } {
  checkFinite(input);
  const d = input.ndim;
  if (opts.eps !== undefined && !(opts.eps > 0)) throw new Error(`eps must be > 0 (a relative error target such as 1e-3), got ${opts.eps}`);
  if (opts.eps === undefined && opts.maxRank === undefined) throw new Error('give maxRank or eps');
  return { caps: innerCaps(opts.maxRank, d), tol: opts.eps === undefined ? undefined : opts.eps / Math.sqrt(Math.max(1, d - 1)) };
}

/** One TT-SVD step on the unfolding c: the kept left singular vectors (all computed columns; the
 * first r are kept) and the rank r. */
export function ttStep(c: Mat, cap: number | undefined, tol: number | undefined): { u: Mat; r: number } {
  if (tol === undefined && c.rows < c.cols) {
    // Fixed ranks on a wide unfolding: the leading left vectors from the Gram matrix suffice
    // (one pass over the data, no rank decision that needs the small singular values).
    const r = Math.min(cap ?? Infinity, c.rows);
    return { u: leadingLeft(c, r).u, r };
  }
  const s = svd(c);
  let r = Math.min(cap ?? Infinity, s.s.length);
  if (tol !== undefined) r = Math.min(r, Math.max(1, chooseRank(s.s, { tol })));
  return { u: s.u, r };
}

function innerCaps(maxRank: TtOptions['maxRank'], d: number): (number | undefined)[] {
  if (maxRank === undefined) return [];
  const list = typeof maxRank === 'number' ? Array(d - 1).fill(maxRank) : maxRank.length === d + 1 ? maxRank.slice(1, d) : [...maxRank];
  if (typeof maxRank !== 'number' && (list.length !== d - 1 || (maxRank.length === d + 1 && (maxRank[0] !== 1 || maxRank[d] !== 1)))) {
    throw new Error(`maxRank for a ${d}-D tensor is one number, ${d - 1} inner ranks, or ${d + 1} ranks starting and ending with 1; got [${maxRank.join(', ')}]`);
  }
  for (const r of list) if (!Number.isInteger(r) || r < 1) throw new Error(`TT ranks must be positive integers, got ${r}`);
  return list;
}

/** The full tensor of a train, in float64, C order: contract cores left to right. */
export function ttReconstruct(cores: readonly Tensor[]): Float64Array {
  let cur = Float64Array.of(1);
  let rows = 1;
  for (const core of cores) {
    const [r0, n, r1] = core.shape as [number, number, number];
    const next = new Float64Array(rows * n * r1);
    for (let i = 0; i < rows; i++)
      for (let a = 0; a < r0; a++) {
        const x = cur[i * r0 + a]!;
        if (x === 0) continue;
        const off = a * n * r1;
        for (let j = 0; j < n * r1; j++) next[i * n * r1 + j]! += x * core.data[off + j]!;
      }
    cur = next;
    rows *= n;
  }
  return cur;
}
