// The primitive operations the decompositions are written over, once (engine/decomp/tucker.ts and
// the others): each backend implements them — the CPU here, in float64 on the host; WebGPU in
// engine/webgpu/dense-ops.ts, in float32 on the device with float64 on the host where it pays — as
// TensorLy's backends supply tenalg and tinygrad's devices a few ops. H is a tensor held by the
// backend (resident on a device between the steps of a decomposition), F a factor matrix uploaded
// once and used by several products.
import { RankDeficientError, cholQrHost, mat, mul, qr, type Mat } from '../linalg';
import { Tensor, heapArray, heapTranspose, inHeap, permuteData, releaseHeapArray } from '../tensor';
import { leadingLeftOfUnfolding } from './common';
import { mttkrpFor, type MttkrpOf } from './cp-mttkrp';
import { to32, ttm64, type T64 } from './dense64';

export interface DenseOps<H, F> {
  /**
   * The accuracy, relative to ‖X‖², of the sums an error estimate is made of (‖X‖², ‖G‖² from a
   * spectrum, ⟨X, X̂⟩ from an MTTKRP): float64 on the host, about 1e-14 (ε times the rounding of
   * the sums); float32 on a device, about 1e-6. An error estimated as √|‖X‖² − ‖G‖²| is trusted only
   * well above √ of it (see residualBelow).
   */
  readonly sumAccuracy: number;
  /** The input, resident: a float64 copy on the CPU; on a device, its buffer (kept where it is). */
  input(x: Tensor, label: string): Promise<H>;
  shapeOf(x: H): readonly number[];
  /** A host float64 factor (n × r), uploaded once for the products that use it. */
  factor(u: Mat, label: string): F;
  /** X ×ₘ U (mode m becomes r long) or, with transpose, X ×ₘ Uᵀ (mode m of length n becomes r). */
  ttm(x: H, u: F, mode: number, transpose: boolean): H;
  /** from − X ×ₘ U, in a new tensor (a residual's last product). */
  ttmFrom(x: H, u: F, mode: number, from: H): H;
  /**
   * The r leading left singular vectors of X's mode-m unfolding and all its singular values;
   * `float64` says whether they were computed on the host in float64 (else from a device's float32
   * Gram matrix, whose small singular values drown in its rounding).
   */
  leading(x: H, mode: number, r: number): Promise<{ u: Mat; s: Float64Array; float64: boolean }>;
  /**
   * The MTTKRP X_(m)·(⊙_{k≠m} Aₖ) on the host in float64, from the factors as uploaded (in mode
   * order). Calls for modes 0 … d−1 of one ALS sweep may reuse a partial product of factors that
   * did not change since (a dimension tree).
   */
  mttkrp(x: H, factors: readonly F[], mode: number): Promise<Mat>;
  /** X seen as a rows × cols matrix (C order): a view sharing X's storage, never released itself. */
  matrix(x: H, rows: number, cols: number): H;
  /** A matrix on the host in float64. */
  hostMatrix(x: H): Promise<Mat>;
  /** An uploaded factor seen as a tensor (a matrix), for products with tensors; shares its storage. */
  asTensor(u: F): H;
  /** op(A)·op(B) of two matrices, or `from` − op(A)·op(B) (from viewed as the product's shape). */
  matmul(a: H, b: H, opts?: { transA?: boolean; transB?: boolean; from?: H }): H;
  /**
   * An orthonormal basis Q (m × n) of a tall matrix's columns, A = Q·R, in a new tensor; A is
   * released. CholeskyQR2 (two GEMMs a pass, a shifted pass first where κ² exceeds the precision:
   * float64 on the CPU, float32 on a device), Householder on the host where the matrix is rank
   * deficient.
   */
  orthonormalize(a: H): Promise<H>;
  sumSquares(x: H): Promise<number>;
  /** The values on the host, float32. */
  read(x: H): Promise<Tensor>;
  release(...xs: (H | F | null | undefined)[]): void;
  /** Called once when a decomposition ends, however it ends (a device submits its queue). */
  done(): void;
}

/** The error estimate √|‖X‖² − ‖G‖²|/‖X‖ cancels as its squares approach each other (its absolute
 * error is about sumAccuracy/(2e)): below 100·√sumAccuracy — 1e-5 on the CPU, 0.1 on a device —
 * the residual ‖X − X̂‖ is formed after each sweep instead. */
export const residualBelow = (ops: Pick<DenseOps<unknown, unknown>, 'sumAccuracy'>): number => 100 * Math.sqrt(ops.sumAccuracy);

// Each input's MTTKRP (with the partial products and permutations it keeps between modes).
const mttkrps = new WeakMap<T64, MttkrpOf>();
const transposes = new WeakMap<Float64Array, Mat>();

/** The transpose of a matrix, kept while its values are alive (in the product kernel's memory
 * where it fits, given back with the matrix). */
function transposed(a: T64): Mat {
  let t = transposes.get(a.data);
  if (!t) {
    const [rows, cols] = a.shape as [number, number];
    const kept = heapArray(a.data.length, false);
    const data = kept && heapTranspose(a.data, rows, cols, kept) ? kept : permuteData(a.data, [rows, cols], [1, 0], kept ?? new Float64Array(a.data.length));
    transposes.set(a.data, (t = mat(cols, rows, data)));
  }
  return t;
}

/** Inputs at least this large are kept in the product kernel's memory for the whole decomposition,
 * so its products use them where they are instead of copying them in each time. */
const RESIDENT_MIN = 1 << 16;

/** A float64 copy of `data` for the CPU's ops, in the product kernel's memory when it is large (give
 * it back with cpuDenseOps.release). */
export function resident(shape: readonly number[], data: Float32Array | Float64Array): T64 {
  const kept = data.length >= RESIDENT_MIN ? heapArray(data.length, false) : null;
  if (kept) kept.set(data);
  return { shape: [...shape], data: kept ?? Float64Array.from(data) };
}

/** The CPU's ops: float64 tensors on the host. */
export const cpuDenseOps: DenseOps<T64, Mat> = {
  sumAccuracy: 1e-14,
  async input(x) {
    const values = await x.materialize();
    return resident(values.shape, values.data);
  },
  shapeOf: (x) => x.shape,
  factor: (u) => u,
  ttm: (x, u, mode, transpose) => ttm64(x, u, mode, transpose),
  ttmFrom(x, u, mode, from) {
    // The product is a new array: the difference is written over it.
    const y = ttm64(x, u, mode, false);
    for (let i = 0; i < y.data.length; i++) y.data[i] = from.data[i]! - y.data[i]!;
    return y;
  },
  leading: async (x, mode, r) => ({ ...leadingLeftOfUnfolding(x, mode, r), float64: true }),
  async mttkrp(x, factors, mode) {
    let of = mttkrps.get(x);
    if (!of) mttkrps.set(x, (of = mttkrpFor(x)));
    return of(factors as Mat[], mode);
  },
  matrix: (x, rows, cols) => ({ shape: [rows, cols], data: x.data }),
  hostMatrix: async (x) => mat(x.shape[0]!, x.data.length / x.shape[0]!, x.data),
  asTensor: (u) => ({ shape: [u.rows, u.cols], data: u.data }),
  async orthonormalize(a) {
    // CholeskyQR2 (all GEMM, on the threads); Householder where A is rank deficient in float64.
    const m = mat(a.shape[0]!, a.shape[1]!, a.data);
    let q: Mat;
    try {
      q = cholQrHost(m).q;
    } catch (e) {
      if (!(e instanceof RankDeficientError)) throw e;
      q = qr(m).q;
    }
    return { shape: [q.rows, q.cols], data: q.data };
  },
  matmul(a, b, opts = {}) {
    // Aᵀ·B with a large A (a randomized SVD's power iterations): its transpose is kept, not redone.
    const left = opts.transA && a.data.length >= 1 << 16 ? transposed(a) : mat(a.shape[0]!, a.shape[1]!, a.data);
    const p = mul(left, mat(b.shape[0]!, b.shape[1]!, b.data), { transA: !!opts.transA && left.data === a.data, transB: !!opts.transB });
    if (opts.from) for (let i = 0; i < p.data.length; i++) p.data[i] = opts.from.data[i]! - p.data[i]!;
    return { shape: [p.rows, p.cols], data: p.data };
  },
  async sumSquares(x) {
    let s = 0;
    for (let i = 0; i < x.data.length; i++) s += x.data[i]! * x.data[i]!;
    return s;
  },
  read: async (x) => to32(x),
  release(...xs) {
    // Arrays in the kernel's memory go back to it (with a resident input's transpose); the rest is
    // the garbage collector's.
    for (const x of xs) {
      if (!x) continue;
      const of = mttkrps.get(x as T64);
      if (of) {
        of.dispose();
        mttkrps.delete(x as T64);
      }
      if (!inHeap(x.data)) continue;
      const t = transposes.get(x.data);
      if (t) releaseHeapArray(t.data);
      transposes.delete(x.data);
      releaseHeapArray(x.data);
    }
  },
  done() {},
};

/** The n × n identity as a float32 tensor (the factor of a mode left whole). */
export function identity32(n: number): Tensor {
  const eye = new Tensor([n, n]);
  for (let i = 0; i < n; i++) eye.data[i * n + i] = 1;
  return eye;
}
