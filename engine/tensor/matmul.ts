// Dense matrix products on the CPU. Every output is a dot product accumulated in float64 (JS
// numbers) in index order and rounded to float32 once, so an inner dimension of 10⁵ keeps float32
// accuracy (about 1e-7 relative) and results do not depend on blocking.
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
  // The kernel reads A by rows and B by columns: both unit-stride when B is stored transposed.
  const A = opts.transA ? permute(a, [1, 0]) : a;
  const Bt = opts.transB ? b : permute(b, [1, 0]);
  const [m, k] = A.shape as [number, number];
  const [n, k2] = Bt.shape as [number, number];
  if (k !== k2) {
    throw new Error(`matmul: inner sizes differ, ${formatShape(A.shape)} · ${formatShape(opts.transB ? [k2, n] : b.shape)}`);
  }
  return new Tensor([m, n], gemmRowsByRows(A.data, Bt.data, m, n, k, new Float32Array(m * n)));
}

type Floats = Float32Array | Float64Array;

/**
 * out[i, j] = Σ_p a[i, p]·bt[j, p] (A·Btᵀ, both row-major, so every dot product is unit-stride);
 * a 2×2 register block per step, about 3× a plain loop in V8. `out` may be float64 to keep the
 * float64 sums (Gram matrices for eigensolvers).
 */
export function gemmRowsByRows<T extends Floats>(a: Floats, bt: Floats, m: number, n: number, k: number, out: T): T {
  const dot = (ar: number, br: number) => {
    let c = 0;
    for (let p = 0; p < k; p++) c += a[ar + p]! * bt[br + p]!;
    return c;
  };
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = i * k;
    const a1 = a0 + k;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const b0 = j * k;
      const b1 = b0 + k;
      let c00 = 0;
      let c01 = 0;
      let c10 = 0;
      let c11 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!;
        const x1 = a[a1 + p]!;
        const y0 = bt[b0 + p]!;
        const y1 = bt[b1 + p]!;
        c00 += x0 * y0;
        c01 += x0 * y1;
        c10 += x1 * y0;
        c11 += x1 * y1;
      }
      out[i * n + j] = c00;
      out[i * n + j + 1] = c01;
      out[(i + 1) * n + j] = c10;
      out[(i + 1) * n + j + 1] = c11;
    }
    if (j < n) {
      out[i * n + j] = dot(a0, j * k);
      out[(i + 1) * n + j] = dot(a1, j * k);
    }
  }
  if (i < m) for (let j = 0; j < n; j++) out[i * n + j] = dot(i * k, j * k);
  return out;
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
