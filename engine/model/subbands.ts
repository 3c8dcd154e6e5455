// WaRA-style low-rank wavelet subbands of a weight matrix: the L-level periodized 2-D DWT of the
// rows × cols matrix (padded to multiples of 2^L, as method dwt), a thin SVD of every subband, and
// each subband kept at its own rank. The transform is orthonormal and the subbands are disjoint
// blocks of its coefficients, so the squared weight error is the sum over subbands of their dropped
// σ²: one ordering of every singular value of every subband by σ² per param it costs (a rank-r
// block of bm × bn stores r·(bm + bn): its factors, σ folded in) decides every policy.
import { subbandBlocks, type SubbandBlock } from '../decomp';
import { mat, mul, svd, type Svd } from '../linalg';
import { Tensor } from '../tensor';
import { forwardTransform, gridOf, inverseTransform, type TransformSpec } from './transform';

export interface LayerSubbands {
  spec: TransformSpec;
  rows: number;
  cols: number;
  /** The padded coefficient grid. */
  grid: [number, number];
  blocks: (SubbandBlock & { svd: Svd })[];
  /** Σ σ² over every subband: ‖W‖² (Parseval). */
  energy: number;
}

/** One more rank in one subband: the σ² it recovers and the params it costs. */
export interface SubbandStep {
  block: number;
  gain: number;
  cost: number;
}

/** The DWT of the weight and the SVD of each of its subbands. */
export async function layerSubbands(w: ArrayLike<number>, rows: number, cols: number, spec: TransformSpec): Promise<LayerSubbands> {
  const grid = gridOf(spec, rows, cols);
  const c = await forwardTransform(w, rows, cols, spec);
  const gc = grid[1];
  let energy = 0;
  const blocks = subbandBlocks(grid[0], grid[1], spec.levels ?? 1).map((b) => {
    const [bm, bn] = [b.rows[1] - b.rows[0], b.cols[1] - b.cols[0]];
    const a = mat(bm, bn);
    for (let i = 0; i < bm; i++) for (let j = 0; j < bn; j++) a.data[i * bn + j] = c.data[(b.rows[0] + i) * gc + b.cols[0] + j]!;
    const d = svd(a);
    energy += d.s.reduce((e, s) => e + s * s, 0);
    return { ...b, svd: d };
  });
  return { spec, rows, cols, grid, blocks, energy };
}

/** Params of a subband block at rank r. */
export const blockParams = (b: SubbandBlock, r: number): number => r * (b.rows[1] - b.rows[0] + b.cols[1] - b.cols[0]);

/** Params of the layer at ranks per subband. */
export const subbandParams = (ls: LayerSubbands, ranks: readonly number[]): number => ls.blocks.reduce((n, b, i) => n + blockParams(b, ranks[i]!), 0);

/** Every rank of every subband as a step, in the order that recovers the most σ² per param first
 * (within a subband the σ descend at a fixed cost a rank, so merging the subbands in this order is
 * the greedy front of error against params). */
export function subbandSteps(ls: LayerSubbands): SubbandStep[] {
  const steps: SubbandStep[] = [];
  ls.blocks.forEach((b, block) => {
    const cost = blockParams(b, 1);
    for (const s of b.svd.s) steps.push({ block, gain: s * s, cost });
  });
  return steps.sort((a, b) => b.gain / b.cost - a.gain / a.cost || a.block - b.block);
}

/** Ranks per subband for the first `count` steps. */
export function ranksOfSteps(ls: LayerSubbands, steps: readonly SubbandStep[], count: number): number[] {
  const ranks = ls.blocks.map(() => 0);
  for (const s of steps.slice(0, count)) ranks[s.block]!++;
  return ranks;
}

/** The weight (rows × cols, float64) from each subband at its rank, and the factors each keeps
 * (left: bm × r with σ folded in, right: r × bn). */
export async function subbandApproximation(ls: LayerSubbands, ranks: readonly number[]): Promise<{ weight: Float64Array; factors: { name: string; left: Tensor; right: Tensor }[] }> {
  const [gr, gc] = ls.grid;
  const c = new Tensor([gr, gc]);
  const factors: { name: string; left: Tensor; right: Tensor }[] = [];
  ls.blocks.forEach((b, i) => {
    const r = Math.min(ranks[i]!, b.svd.s.length);
    if (r === 0) return;
    const [bm, bn] = [b.rows[1] - b.rows[0], b.cols[1] - b.cols[0]];
    const { u, s, v } = b.svd;
    const left = mat(bm, r);
    for (let a = 0; a < bm; a++) for (let k = 0; k < r; k++) left.data[a * r + k] = u.data[a * u.cols + k]! * s[k]!;
    const right = mat(r, bn);
    for (let k = 0; k < r; k++) for (let j = 0; j < bn; j++) right.data[k * bn + j] = v.data[j * v.cols + k]!;
    const block = mul(left, right);
    for (let a = 0; a < bm; a++) for (let j = 0; j < bn; j++) c.data[(b.rows[0] + a) * gc + b.cols[0] + j] = block.data[a * bn + j]!;
    factors.push({ name: b.name, left: new Tensor([bm, r], Float32Array.from(left.data)), right: new Tensor([r, bn], Float32Array.from(right.data)) });
  });
  return { weight: await inverseTransform(c, ls.rows, ls.cols, ls.spec), factors };
}
