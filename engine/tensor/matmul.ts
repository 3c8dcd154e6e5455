// Dense matrix products on the CPU. Each output row is accumulated in a Float64Array and rounded to
// float32 once, so an inner dimension of 10⁵ keeps float32 accuracy (about 1e-7 relative).
import { Tensor, formatShape, sizeOf } from './tensor';
import { fold, permute, unfold } from './ops';

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

/** C = op(A)·op(B) for 2-D tensors, op(X) = Xᵀ when the matching flag is set. */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new Error(`matmul needs two matrices, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  // Transposing up front keeps the inner loop unit-stride; it costs one pass over the operand.
  const A = opts.transA ? permute(a, [1, 0]) : a;
  const B = opts.transB ? permute(b, [1, 0]) : b;
  const [m, k] = A.shape as [number, number];
  const [k2, n] = B.shape as [number, number];
  if (k !== k2) {
    throw new Error(`matmul: inner sizes differ, ${formatShape(A.shape)} · ${formatShape(B.shape)}`);
  }
  const out = new Float32Array(m * n);
  const acc = new Float64Array(n);
  const ad = A.data;
  const bd = B.data;
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    const arow = i * k;
    for (let p = 0; p < k; p++) {
      const aip = ad[arow + p]!;
      if (aip === 0) continue;
      const brow = p * n;
      for (let j = 0; j < n; j++) acc[j]! += aip * bd[brow + j]!;
    }
    const crow = i * n;
    for (let j = 0; j < n; j++) out[crow + j] = acc[j]!;
  }
  return new Tensor([m, n], out);
}

/**
 * Mode-n product (TTM) Y = X ×_n M with M of shape J × I_n (Kolda & Bader 2009, §2.5):
 * Y_(n) = M · X_(n). The result has size J on mode n.
 */
export function modeProduct(x: Tensor, m: Tensor, mode: number, opts: { transpose?: boolean } = {}): Tensor {
  const rows = opts.transpose ? m.shape[1] : m.shape[0];
  const cols = opts.transpose ? m.shape[0] : m.shape[1];
  if (m.ndim !== 2 || cols !== x.shape[mode]) {
    throw new Error(
      `modeProduct: matrix ${formatShape(m.shape)}${opts.transpose ? 'ᵀ' : ''} cannot multiply mode ${mode} of size ${x.shape[mode]} in ${formatShape(x.shape)}`,
    );
  }
  const yn = matmul(m, unfold(x, mode), { transA: opts.transpose ?? false });
  const shape = x.shape.map((d, i) => (i === mode ? rows! : d));
  return fold(yn, mode, shape);
}

/** x ×_0 M_0 ×_1 M_1 … over the listed modes (a Tucker reconstruction when all modes are given). */
export function multiModeProduct(x: Tensor, matrices: readonly (Tensor | null)[]): Tensor {
  let y = x;
  matrices.forEach((m, mode) => {
    if (m) y = modeProduct(y, m, mode);
  });
  return y;
}

export function identity(n: number): Tensor {
  const t = new Tensor([n, n]);
  for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
  return t;
}

/** Outer product of vectors: out[i,j,k,…] = v0[i]·v1[j]·v2[k]…, shape [len(v0), len(v1), …]. */
export function outer(vectors: readonly Float32Array[] | readonly Float64Array[]): Tensor {
  const shape = vectors.map((v) => v.length);
  const out = new Float32Array(sizeOf(shape));
  let cur = new Float64Array([1]);
  for (const v of vectors) {
    const next = new Float64Array(cur.length * v.length);
    for (let i = 0; i < cur.length; i++) for (let j = 0; j < v.length; j++) next[i * v.length + j] = cur[i]! * v[j]!;
    cur = next;
  }
  out.set(cur);
  return new Tensor(shape, out);
}
