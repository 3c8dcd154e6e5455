// Dense matrix products on the CPU. Every output is a dot product accumulated in float64 and rounded
// to float32 once (where the output is float32), so an inner dimension of 10⁵ keeps float32 accuracy
// (about 1e-7 relative). Large products run in a WebAssembly SIMD kernel on all the CPU's threads
// (wasm/gemm.ts, wasm/pool.ts), small ones in JavaScript.
import { Tensor, formatShape, sizeOf } from './tensor';
import { fold, permute, unfold } from './ops';
import { gemmWasm } from './wasm/gemm';

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
 * out[i, j] = Σ_p a[i, p]·bt[j, p] (A·Btᵀ, both row-major, so every dot product is unit-stride).
 * A 4×4 register block per step: 8 loads feed 16 multiply-adds, about 5× a plain loop in V8
 * (bench: 2.2 GFLOP/s at 1024² against 1.4 for 2×2 blocks). Edge blocks repeat the last row or
 * column and discard the copies. `out` may be float64 to keep the sums (Gram matrices).
 */
export function gemmRowsByRows<T extends Floats>(a: Floats, bt: Floats, m: number, n: number, k: number, out: T): T {
  if (m * n * k >= WASM_MIN_WORK && gemmWasm(a, bt, m, n, k, out)) return out;
  return gemmBlocks(a, bt, m, n, k, out, false);
}

/** Products at least this large (m·n·k) go to the WebAssembly SIMD kernel (about 20 GFLOP/s a
 * thread with fused multiply-adds against 2.2 here, bench/run.ts); below it the copies into its
 * memory cost more than they save. The choice depends only on the sizes, so a given product is
 * always computed the same way (whatever the thread count: see wasm/pool.ts). */
const WASM_MIN_WORK = 32 * 32 * 32;

/** A·Aᵀ for row-major A (rows × k). The JavaScript path computes only the blocks on and above the
 * diagonal (half the work) and mirrors them; the SIMD kernel computes all, still faster. */
export function syrkRows<T extends Floats>(a: Floats, rows: number, k: number, out: T): T {
  if (rows * rows * k >= WASM_MIN_WORK && gemmWasm(a, a, rows, rows, k, out)) {
    // The SIMD sums of (i, j) and (j, i) pair the same products in the same lanes; mirror anyway.
    for (let i = 0; i < rows; i++) for (let j = 0; j < i; j++) out[i * rows + j] = out[j * rows + i]!;
    return out;
  }
  gemmBlocks(a, a, rows, rows, k, out, true);
  for (let i = 0; i < rows; i++) for (let j = 0; j < i; j++) out[i * rows + j] = out[j * rows + i]!;
  return out;
}

function gemmBlocks<T extends Floats>(a: Floats, bt: Floats, m: number, n: number, k: number, out: T, upper: boolean): T {
  for (let i = 0; i < m; i += 4) {
    const a0 = i * k;
    const a1 = Math.min(i + 1, m - 1) * k;
    const a2 = Math.min(i + 2, m - 1) * k;
    const a3 = Math.min(i + 3, m - 1) * k;
    for (let j = upper ? i : 0; j < n; j += 4) {
      const b0 = j * k;
      const b1 = Math.min(j + 1, n - 1) * k;
      const b2 = Math.min(j + 2, n - 1) * k;
      const b3 = Math.min(j + 3, n - 1) * k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0; // prettier-ignore
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0; // prettier-ignore
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!;
        const x1 = a[a1 + p]!;
        const x2 = a[a2 + p]!;
        const x3 = a[a3 + p]!;
        const y0 = bt[b0 + p]!;
        const y1 = bt[b1 + p]!;
        const y2 = bt[b2 + p]!;
        const y3 = bt[b3 + p]!;
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3; // prettier-ignore
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3; // prettier-ignore
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3; // prettier-ignore
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3; // prettier-ignore
      }
      const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
      for (let di = 0; di < 4 && i + di < m; di++) for (let dj = 0; dj < 4 && j + dj < n; dj++) out[(i + di) * n + j + dj] = block[di * 4 + dj]!;
    }
  }
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
