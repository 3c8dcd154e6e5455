// Low-rank wavelet subbands (WaRA-style: a 2-D DWT of a weight matrix, a truncated SVD of every
// subband, then the inverse DWT). Each subband of the packed layout (see transforms/dwt.ts) is a
// contiguous block, so it is cut out, truncated and written back in place.
import { chooseRank, mat, mul, svd } from '../linalg';
import { Tensor, checkFinite, formatShape } from '../tensor';
import { dwt, type DwtOptions, type Wavelet } from '../transforms';
import { relError64 } from './dense64';

export interface SubbandOptions {
  wavelet: Wavelet;
  levels: number;
  rank?: number;
  energy?: number;
  /** Called after each subband (it may throw to cancel). */
  onBlock?: (done: number, of: number, name: string) => void;
}

export interface SubbandBlock {
  name: string;
  rows: [number, number];
  cols: [number, number];
  rank: number;
}

/** The wavelet transforms it runs: a backend's (the node passes ctx.backend.dwt), the CPU's by
 * default. The subbands' SVDs are small and taken on the host in float64. */
export type DwtOf = (x: Tensor, opts: DwtOptions) => Promise<Tensor>;

/** The subbands of an m × n matrix's L-level 2-D DWT in the packed layout (m, n divisible by 2^L):
 * the approximation cA_L at the top left, then for each level j from L down to 1 the blocks highpass
 * along rows (da_j, pywt's cH), along columns (ad_j, cV) and along both (dd_j, cD). */
export function subbandBlocks(m: number, n: number, levels: number): SubbandBlock[] {
  const blocks: SubbandBlock[] = [];
  const add = (name: string, r0: number, r1: number, c0: number, c1: number) => blocks.push({ name, rows: [r0, r1], cols: [c0, c1], rank: 0 });
  add(`cA${levels}`, 0, m >> levels, 0, n >> levels);
  for (let j = levels; j >= 1; j--) {
    const [bm, bn] = [m >> j, n >> j];
    add(`da${j}`, bm, 2 * bm, 0, bn);
    add(`ad${j}`, 0, bm, bn, 2 * bn);
    add(`dd${j}`, bm, 2 * bm, bn, 2 * bn);
  }
  return blocks;
}

export async function lowrankSubbands(x: Tensor, opts: SubbandOptions, transform: DwtOf = dwt): Promise<{ tensor: Tensor; params: number; relError: number; blocks: SubbandBlock[] }> {
  await x.materialize();
  checkFinite(x);
  if (x.ndim !== 2) throw new Error(`needs a matrix (2-D), got a ${x.ndim}-D tensor ${formatShape(x.shape)}; reshape it first`);
  if (opts.rank === undefined && opts.energy === undefined) throw new Error('give rank or energy');
  const [m, n] = x.shape as [number, number];
  // A copy: the transform's result may be kept by its backend (a device's resident copy).
  const coeffs = (await (await transform(x, { wavelet: opts.wavelet, levels: opts.levels })).materialize()).clone();
  const blocks = subbandBlocks(m, n, opts.levels);
  let params = 0;
  for (const b of blocks) {
    const rows = b.rows[1] - b.rows[0];
    const cols = b.cols[1] - b.cols[0];
    const a = mat(rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) a.data[i * cols + j] = coeffs.data[(b.rows[0] + i) * n + b.cols[0] + j]!;
    const d = svd(a);
    const k = Math.max(1, chooseRank(d.s, opts.rank !== undefined ? { rank: opts.rank } : { energy: opts.energy! }));
    const us = mat(rows, k);
    for (let i = 0; i < rows; i++) for (let c = 0; c < k; c++) us.data[i * k + c] = d.u.data[i * d.u.cols + c]! * d.s[c]!;
    const vk = mat(cols, k);
    for (let i = 0; i < cols; i++) for (let c = 0; c < k; c++) vk.data[i * k + c] = d.v.data[i * d.v.cols + c]!;
    const approx = mul(us, vk, { transB: true });
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) coeffs.data[(b.rows[0] + i) * n + b.cols[0] + j] = approx.data[i * cols + j]!;
    b.rank = k;
    params += k * (rows + cols + 1);
    opts.onBlock?.(blocks.indexOf(b) + 1, blocks.length, b.name);
  }
  const tensor = await (await transform(coeffs, { wavelet: opts.wavelet, levels: opts.levels, inverse: true })).materialize();
  return { tensor, params, relError: relError64(x.data, tensor.data), blocks };
}
