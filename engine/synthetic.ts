// Synthetic test tensors of known structure, for recovery tests and benchmarks: a tensor built
// from known factors at known ranks, plus Gaussian noise scaled exactly to a relative level
// (N ← N·ρ‖X0‖F/‖N‖F, the convention of test/refs), so ‖X − X0‖F/‖X0‖F = ρ.
import { khatriRao, mat } from './linalg';
import type { RandomSource } from './random';
import {
  MAX_TENSOR_ENTRIES, Tensor, axpy, entriesOf, entryLimit, formatCount, formatShape, frobeniusNorm, matmul, multiModeProduct, sizeProblem, type Shape,
} from './tensor';

export type SyntheticKind = 'tucker' | 'cp' | 'tt' | 'gaussian';

export interface SyntheticSpec {
  kind: SyntheticKind;
  shape: Shape;
  /** tucker: one rank per mode; cp: [R]; tt: the d−1 bond ranks (or d+1 with 1 at both ends). */
  ranks: readonly number[];
  /** Relative noise level ρ ≥ 0. */
  noise: number;
  /** Which noise draw (0, the default, is the original one): other values give independent noisy
   * copies of the same clean tensor. */
  noiseSeed?: number;
}

export interface SyntheticResult {
  tensor: Tensor;
  /** The clean tensor X0 (equal to `tensor` when noise is 0). */
  clean: Tensor;
}

/** Checks ranks against the kind and shape; returns the problem in words, or null. */
export function checkSyntheticRanks(spec: Pick<SyntheticSpec, 'kind' | 'shape' | 'ranks'>): string | null {
  const { kind, shape, ranks } = spec;
  const d = shape.length;
  if (kind === 'gaussian') return null;
  if (kind === 'cp') return ranks.length === 1 ? null : `a CP tensor takes one rank (the number of components), got ${ranks.length}: [${ranks.join(', ')}]`;
  if (kind === 'tucker') {
    if (ranks.length !== d) return `a Tucker tensor takes one rank per mode: shape ${formatShape(shape)} needs ${d} ranks, got ${ranks.length}`;
    const bad = ranks.findIndex((r, n) => r > shape[n]!);
    return bad < 0 ? null : `Tucker rank ${ranks[bad]} on mode ${bad} exceeds that mode's size ${shape[bad]}`;
  }
  const bonds = ttBonds(ranks, d);
  if (!bonds) return `a TT tensor of ${d} modes takes ${d - 1} bond ranks (or ${d + 1} with 1 at both ends), got ${ranks.length}: [${ranks.join(', ')}]`;
  return null;
}

function ttBonds(ranks: readonly number[], d: number): number[] | null {
  if (ranks.length === d - 1) return [1, ...ranks, 1];
  if (ranks.length === d + 1 && ranks[0] === 1 && ranks[d] === 1) return [...ranks];
  return null;
}

export function syntheticTensor(spec: SyntheticSpec, random: RandomSource): SyntheticResult {
  const problem = checkSyntheticRanks(spec) ?? sourceSizeProblem(spec.shape) ?? syntheticCostProblem(spec);
  if (problem) throw new Error(problem);
  // The structure and the noise draw from separate streams, so the clean tensor is the same
  // whatever the noise level (a noisy tensor can be compared with its clean twin).
  const structure = random.fork(0);
  const clean = buildClean(spec, structure);
  if (spec.noise === 0) return { tensor: clean, clean };
  const n = new Tensor(spec.shape);
  // Draw 0 is fork 1 (graphs saved before noiseSeed existed keep their tensors); draw k, fork 1 + k.
  random.fork(1 + (spec.noiseSeed ?? 0)).fillNormal(n.data);
  const nn = frobeniusNorm(n);
  const scale = nn === 0 ? 0 : (spec.noise * frobeniusNorm(clean)) / nn;
  return { tensor: axpy(scale, n, clean), clean };
}

function gaussian(shape: Shape, random: RandomSource): Tensor {
  const t = new Tensor(shape);
  random.fillNormal(t.data);
  return t;
}

function buildClean(spec: SyntheticSpec, random: RandomSource): Tensor {
  const { shape, ranks } = spec;
  switch (spec.kind) {
    case 'gaussian':
      return gaussian(shape, random);
    case 'tucker': {
      const core = gaussian(ranks, random);
      return multiModeProduct(core, shape.map((n, k) => orthonormalColumns(n, ranks[k]!, random)));
    }
    case 'cp': {
      const r = ranks[0]!;
      // Khatri-Rao of all factors but the last (columnwise Kronecker), then one product with the last.
      let kr = gaussian([shape[0]!, r], random);
      for (let k = 1; k < shape.length - 1; k++) kr = khatriRaoRows(kr, gaussian([shape[k]!, r], random));
      if (shape.length === 1) return new Tensor(shape, rowSums(kr));
      const last = gaussian([shape[shape.length - 1]!, r], random);
      return new Tensor(shape, matmul(kr, last, { transB: true }).data);
    }
    case 'tt': {
      const bonds = ttBonds(ranks, shape.length)!;
      // Left-to-right contraction: (I₀…Iₖ₋₁ × rₖ) · (rₖ × Iₖ·rₖ₊₁), reshaped to (I₀…Iₖ × rₖ₊₁).
      let cur = new Tensor([1, 1], Float32Array.of(1));
      shape.forEach((n, k) => {
        const core = gaussian([bonds[k]!, n * bonds[k + 1]!], random);
        const m = matmul(cur, core);
        cur = new Tensor([m.size / bonds[k + 1]!, bonds[k + 1]!], m.data);
      });
      return new Tensor(shape, cur.data);
    }
  }
}

/** The Khatri-Rao product of two float32 factors, rows in C order (linalg's, in float64: each
 * product of two float32 values is exact there, so rounding it back gives the float32 product). */
function khatriRaoRows(a: Tensor, b: Tensor): Tensor {
  const [m, r] = a.shape as [number, number];
  const kr = khatriRao(mat(m, r, Float64Array.from(a.data)), mat(b.shape[0]!, r, Float64Array.from(b.data)));
  return new Tensor([kr.rows, r], Float32Array.from(kr.data));
}

function rowSums(a: Tensor): Float32Array {
  const [m, r] = a.shape as [number, number];
  const out = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let c = 0; c < r; c++) s += a.data[i * r + c]!;
    out[i] = s;
  }
  return out;
}

/** An n×r matrix with orthonormal columns (r ≤ n): Gaussian columns, modified Gram–Schmidt
 * twice in float64 ("twice is enough", Giraud et al. 2005), which is Haar-distributed. */
export function orthonormalColumns(n: number, r: number, random: RandomSource): Tensor {
  if (r > n) throw new Error(`cannot make ${r} orthonormal columns of length ${n}`);
  const cols: Float64Array[] = [];
  for (let c = 0; c < r; c++) {
    const v = new Float64Array(n);
    random.fillNormal(v);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of cols) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i]! * v[i]!;
        for (let i = 0; i < n; i++) v[i]! -= d * q[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i]! /= norm;
    cols.push(v);
  }
  const out = new Tensor([n, r]);
  for (let i = 0; i < n; i++) for (let c = 0; c < r; c++) out.data[i * r + c] = cols[c]![i]!;
  return out;
}

/** The largest tensor a generating source builds: the engine's limit (2²⁸ entries, 1 GiB). */
export const MAX_SOURCE_ELEMENTS = MAX_TENSOR_ENTRIES;

/** Why a generated tensor of this shape is too large, or null. */
export function sourceSizeProblem(shape: Shape): string | null {
  const problem = sizeProblem(shape);
  return problem ? `${problem}; use smaller modes` : null;
}

/** Multiply-adds a synthetic build may take: 2³⁵ ≈ 3.4·10¹⁰, about half a minute here. */
export const MAX_SYNTHETIC_WORK = 2 ** 35;

/**
 * Why building this synthetic tensor would take too much memory or time (its intermediates and
 * factors past the entry limit, its products past MAX_SYNTHETIC_WORK), or why a TT bond rank is
 * above the largest rank its unfolding can have; null when it is fine. Checked in the params, so
 * the graph fails validation before anything is allocated.
 */
export function syntheticCostProblem(spec: Pick<SyntheticSpec, 'kind' | 'shape' | 'ranks'>): string | null {
  const { kind, shape, ranks } = spec;
  if (checkSyntheticRanks(spec) || sizeProblem(shape)) return null; // reported on their own
  const d = shape.length;
  const prefix = (k: number) => entriesOf(shape.slice(0, k));
  let work = 0;
  const parts: [string, number][] = [];
  if (kind === 'tucker') {
    // Orthonormal factors by Gram–Schmidt twice (2·n·r² each), then one mode product per mode.
    shape.forEach((n, k) => (work += 2 * n * ranks[k]! ** 2));
    parts.push(['the core', entriesOf(ranks)]);
    for (let k = 0; k < d; k++) {
      const out = prefix(k + 1) * entriesOf(ranks.slice(k + 1));
      parts.push([`the product with factor ${k}`, out]);
      work += out * ranks[k]!;
    }
  } else if (kind === 'cp') {
    const r = ranks[0]!;
    parts.push(['the factors', shape.reduce((a, n) => a + n * r, 0)]);
    for (let k = 1; k < d - 1; k++) {
      parts.push([`the Khatri–Rao product of modes 0–${k}`, prefix(k + 1) * r]);
      work += prefix(k + 1) * r;
    }
    work += entriesOf(shape) * r;
  } else if (kind === 'tt') {
    const b = ttBonds(ranks, d)!;
    for (let k = 1; k < d; k++) {
      const most = Math.min(prefix(k), entriesOf(shape.slice(k)));
      if (b[k]! > most) return `TT bond rank ${b[k]} (bond ${k}) is above ${most}, the largest rank the unfolding of modes 0–${k - 1} against ${k}–${d - 1} of ${formatShape(shape)} can have; use at most ${most}`;
    }
    parts.push(['the cores', shape.reduce((a, n, k) => a + b[k]! * n * b[k + 1]!, 0)]);
    for (let k = 0; k < d; k++) {
      parts.push([`the contraction of cores 0–${k}`, prefix(k + 1) * b[k + 1]!]);
      work += prefix(k) * b[k]! * shape[k]! * b[k + 1]!;
    }
  }
  const what = { tucker: 'Tucker', cp: 'CP', tt: 'TT', gaussian: 'Gaussian' }[kind];
  const big = parts.find(([, n]) => n > MAX_TENSOR_ENTRIES);
  if (big) return `building this ${what} tensor needs ${big[0]} with ${formatCount(big[1])} entries, above the limit of ${entryLimit()}; use smaller ranks or modes`;
  if (work > MAX_SYNTHETIC_WORK) {
    return `building this ${what} tensor takes about ${formatCount(work)} multiply-adds, above the limit of ${formatCount(MAX_SYNTHETIC_WORK)} (2³⁵, about half a minute); use smaller ranks or modes`;
  }
  return null;
}
