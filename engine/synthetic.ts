// Synthetic test tensors of known structure, for recovery tests and benchmarks: a tensor built
// from known factors at known ranks, plus Gaussian noise scaled exactly to a relative level
// (N ← N·ρ‖X0‖F/‖N‖F, the convention of test/refs), so ‖X − X0‖F/‖X0‖F = ρ.
import type { RandomSource } from './random';
import { Tensor, axpy, formatShape, frobeniusNorm, matmul, multiModeProduct, type Shape } from './tensor';

export type SyntheticKind = 'tucker' | 'cp' | 'tt' | 'gaussian';

export interface SyntheticSpec {
  kind: SyntheticKind;
  shape: Shape;
  /** tucker: one rank per mode; cp: [R]; tt: the d−1 bond ranks (or d+1 with 1 at both ends). */
  ranks: readonly number[];
  /** Relative noise level ρ ≥ 0. */
  noise: number;
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
  const problem = checkSyntheticRanks(spec);
  if (problem) throw new Error(problem);
  // The structure and the noise draw from separate streams, so the clean tensor is the same
  // whatever the noise level (a noisy tensor can be compared with its clean twin).
  const structure = random.fork(0);
  const clean = buildClean(spec, structure);
  if (spec.noise === 0) return { tensor: clean, clean };
  const n = new Tensor(spec.shape);
  random.fork(1).fillNormal(n.data);
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

/** out[(i,j), r] = a[i, r]·b[j, r]: the Khatri-Rao product with rows in C order. */
function khatriRaoRows(a: Tensor, b: Tensor): Tensor {
  const [m, r] = a.shape as [number, number];
  const n = b.shape[0]!;
  const out = new Float32Array(m * n * r);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let c = 0; c < r; c++) out[(i * n + j) * r + c] = a.data[i * r + c]! * b.data[j * r + c]!;
  return new Tensor([m * n, r], out);
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

/** 2²⁸ float32 entries = 1 GiB, the largest tensor a generating source builds. */
export const MAX_SOURCE_ELEMENTS = 2 ** 28;

/** Why a generated tensor of this shape is too large, or null. */
export function sourceSizeProblem(shape: Shape): string | null {
  const size = shape.reduce((a, b) => a * b, 1);
  return size > MAX_SOURCE_ELEMENTS ? `[${shape.join('×')}] has ${size} entries, above the limit of ${MAX_SOURCE_ELEMENTS} (1 GiB of float32); use smaller modes` : null;
}
