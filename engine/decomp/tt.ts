// Tensor train by TT-SVD (Oseledets, "Tensor-train decomposition", SIAM J. Sci. Comput. 33(5),
// 2011, Alg. 1): sweep left to right, unfolding the remainder to (r_k·I_k) × rest in C order,
// truncating its SVD, carrying diag(s)·Vᵀ on. With eps, each step keeps the smallest r with tail
// ≤ δ = eps/√(d−1)·‖A‖F, so ‖A − TT‖F ≤ eps·‖A‖F. Exact SVDs (float64) make the rank
// decisions agree with LAPACK's.
import { chooseRank, leadingColumns, svd, type Mat } from '../linalg';
import { Tensor, checkFinite, entriesOf, finiteSumSquares } from '../tensor';
import { leadingLeft } from './common';
import { cpuDenseOps, type DenseOps } from './ops';

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

/** TT-SVD on the CPU (float64 on the host). */
export const tt = (input: Tensor, opts: TtOptions): Promise<TtResult> => ttWith(cpuDenseOps, input, opts);

/**
 * The algorithm, once, over a backend's dense ops (engine/decomp/ops.ts): the remainder stays where
 * the backend keeps it. Each step's left subspace: with fixed ranks and a wide unfolding, the
 * leading vectors of C·Cᵀ (`leading`: on the host in float64 where small, a device's Gram matrix
 * otherwise); with eps, or tall, the exact SVD of C on the host (a float32 Gram matrix cannot
 * resolve the tails an eps decision needs). The remainder becomes U_rᵀ·C by a product; the error
 * ‖A − TT‖F contracts the train by products, the last written as A − TT.
 */
export async function ttWith<H, F>(ops: DenseOps<H, F>, input: Tensor, opts: TtOptions): Promise<TtResult> {
  const a2 = await finiteSumSquares(input);
  const { caps, tol } = planTt(input, opts);
  const shape = input.shape;
  const d = shape.length;
  const x: H = await ops.input(input, 'tt input');
  const ranks = [1];
  const cores: Tensor[] = [];
  const uploaded: F[] = [];
  let rest = x;
  try {
    for (let k = 0; k < d - 1; k++) {
      const rows = ranks[k]! * shape[k]!;
      const c = ops.matrix(rest, rows, entriesOf(ops.shapeOf(rest)) / rows);
      let u: Mat;
      let r: number;
      if (tol === undefined && rows < ops.shapeOf(c)[1]!) {
        r = Math.min(caps[k] ?? Infinity, rows);
        u = (await ops.leading(c, 0, r)).u;
      } else ({ u, r } = ttStep(await ops.hostMatrix(c), caps[k], tol));
      const kept = leadingColumns(u, r);
      cores.push(new Tensor([ranks[k]!, shape[k]!, r], Float32Array.from(kept.data)));
      uploaded.push(ops.factor(kept, `tt core ${k}`));
      // rest = U_rᵀ·C = diag(s)·Vᵀ (r × cols): the part of C in the kept subspace.
      const next = ops.matmul(ops.asTensor(uploaded[k]!), c, { transA: true });
      if (rest !== x) ops.release(rest);
      rest = next;
      ranks.push(r);
      opts.onStep?.(k, d - 1, r);
    }
    const last = await ops.read(rest);
    cores.push(new Tensor([ranks[d - 1]!, shape[d - 1]!, 1], last.data));
    ranks.push(1);
    return { cores, ranks, relError: a2 === 0 || d === 1 ? 0 : Math.sqrt((await residualSquared(ops, x, uploaded, rest, ranks, shape)) / a2) };
  } finally {
    if (rest !== x) ops.release(rest);
    ops.release(x, ...uploaded);
    ops.done();
  }
}


/** ‖A − TT‖F²: cur ((I₀…I_{k−1}) × r_k) · G_k (r_k × I_k·r_{k+1}) left to right, G_k the uploaded
 * cores and then the last remainder, the last product written as A − TT. */
async function residualSquared<H, F>(ops: DenseOps<H, F>, x: H, uploaded: readonly F[], last: H, ranks: readonly number[], shape: readonly number[]): Promise<number> {
  const d = shape.length;
  // Core k as r_k × (I_k·r_{k+1}): a view of the uploaded (r_k·I_k) × r_{k+1} factor, or of the
  // last remainder.
  const wide = (k: number) => ops.matrix(k === d - 1 ? last : ops.asTensor(uploaded[k]!), ranks[k]!, shape[k]! * ranks[k + 1]!);
  let cur = ops.asTensor(uploaded[0]!); // I₀ × r₁
  for (let k = 1; ; k++) {
    const end = k === d - 1;
    const out = ops.matmul(cur, wide(k), end ? { from: ops.matrix(x, entriesOf(shape.slice(0, d - 1)), shape[d - 1]!) } : {});
    // cur is the previous product (seen with another shape) from the second step on.
    if (k > 1) ops.release(cur);
    if (end) {
      const r2 = await ops.sumSquares(out);
      ops.release(out);
      return r2;
    }
    cur = ops.matrix(out, entriesOf(ops.shapeOf(out)) / ranks[k + 1]!, ranks[k + 1]!);
  }
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
