// The dense ops (engine/decomp/ops.ts) on a WebGPU device: tensors stay resident in float32 between
// the steps of a decomposition; factors are uploaded once per update. CP's MTTKRPs share
// T = X ×_{d−1} A_{d−1} across modes 0 … d−2 (one GEMM per sweep: A_{d−1} does not change while
// they are updated, the dimension-tree idea of Phan, Tichavský & Cichocki, IEEE TSP 61(19), 2013);
// mode d−1 uses X ×₀ A₀. A subspace comes from the
// projected unfolding read back and taken in float64 on the host where that is small
// (Iₙ²·K ≤ HOST_SUBSPACE_WORK: every HOOI sweep of a 256³ tensor at rank 16), else from the
// device's Gram matrix (float32, which squares the condition number: singular values below
// ~3e-4·σ₁ drown in its rounding, so only the large unfoldings of a first pass use it, and later
// sweeps refine those subspaces to float64 quality).
import { mat, qr, type Mat } from '../linalg';
import { RankDeficientError, cholQR } from './cholqr';
import { leadingFromGram, leadingLeftOfUnfolding } from '../decomp/common';
import { to64 } from '../decomp/dense64';
import type { DenseOps } from '../decomp/ops';
import { Tensor } from '../tensor';
import { contractAllBut, type MttkrpKernel } from './kernels/mttkrp';
import { GpuTensor, HOST_SUBSPACE_WORK, type GpuOps } from './ops';

export function gpuDenseOps(ops: GpuOps, mk?: MttkrpKernel): DenseOps<GpuTensor, GpuTensor> {
  // Each input's host tensor: its values are read from there, not from the device, when needed.
  const inputs = new Map<GpuTensor, Tensor>();
  // Each input's partial MTTKRP product, and the factor upload it was made with.
  const partial = new Map<GpuTensor, { of: GpuTensor; t: GpuTensor }>();
  return {
    sumAccuracy: 1e-6,
    async input(x, label) {
      const h = await ops.input(x, label);
      inputs.set(h, x);
      return h;
    },
    shapeOf: (x) => x.shape,
    factor: (u: Mat, label) => ops.upload(new Tensor([u.rows, u.cols], Float32Array.from(u.data)), label),
    ttm: (x, u, mode, transpose) => ops.ttm(x, u, mode, transpose),
    ttmFrom: (x, u, mode, from) => ops.ttm(x, u, mode, false, { into: ops.copy(from), alpha: -1, beta: 1 }),
    async leading(x, mode, r) {
      if (x.shape[mode]! * x.size <= HOST_SUBSPACE_WORK) {
        const host = inputs.get(x);
        const t = host ? await host.materialize() : await ops.read(x);
        return { ...leadingLeftOfUnfolding(to64(t), mode, r), float64: true };
      }
      const g = ops.gram(x, mode);
      const w = await ops.read(g);
      ops.release(g);
      return { ...leadingFromGram(mat(w.shape[0]!, w.shape[1]!, Float64Array.from(w.data)), r), float64: false };
    },
    async mttkrp(x, factors, mode) {
      if (!mk) throw new Error('these WebGPU ops were made without the MTTKRP kernel');
      const shape = x.shape;
      const d = shape.length;
      const rank = factors[0]!.shape[1]!;
      if (mode < d - 1) {
        // Modes 0 … d−2 share T = X ×_{d−1} A_{d−1}, kept while A_{d−1} stays the same upload.
        let kept = partial.get(x);
        if (!kept || kept.of !== factors[d - 1]) {
          ops.release(kept?.t);
          const xLast = new GpuTensor([x.size / shape[d - 1]!, shape[d - 1]!], x.buffer);
          kept = { of: factors[d - 1]!, t: ops.matmul(xLast, factors[d - 1]!) }; // (I₀…I_{d−2}) × R
          partial.set(x, kept);
        }
        return contractAllBut(ops, mk, kept.t, shape.slice(0, d - 1), factors.slice(0, d - 1), mode, rank);
      }
      // Mode d−1: X ×₀ A₀, then the modes 1 … d−2.
      const xFirst = new GpuTensor([shape[0]!, x.size / shape[0]!], x.buffer);
      const t = ops.matmul(xFirst, factors[0]!, { transA: true }); // (I₁…I_{d−1}) × R
      try {
        return await contractAllBut(ops, mk, t, shape.slice(1), factors.slice(1), d - 2, rank);
      } finally {
        ops.release(t);
      }
    },
    matrix(x, rows, cols) {
      const view = new GpuTensor([rows, cols], x.buffer);
      const host = inputs.get(x);
      if (host) inputs.set(view, host.reshaped([rows, cols]));
      return view;
    },
    async hostMatrix(x) {
      const host = inputs.get(x);
      const t = host ? await host.materialize() : await ops.read(x);
      return mat(x.shape[0]!, x.shape[1]!, Float64Array.from(t.data));
    },
    asTensor: (u) => u,
    async orthonormalize(a) {
      try {
        return (await cholQR(ops, a)).q;
      } catch (e) {
        // A sketch of rank below its width (a zero or rank-one A, a rank above A's): CholeskyQR
        // cannot factor its Gram; a Householder QR in float64 on the host can, whatever the rank.
        if (!(e instanceof RankDeficientError)) throw e;
        const host = await ops.read(a);
        const { q } = qr(mat(a.shape[0]!, a.shape[1]!, Float64Array.from(host.data)));
        return ops.upload(new Tensor([q.rows, q.cols], Float32Array.from(q.data)), 'Q (Householder)');
      } finally {
        ops.release(a);
      }
    },
    matmul(a, b, opts = {}) {
      const { from, ...trans } = opts;
      if (!from) return ops.matmul(a, b, trans);
      const m = trans.transA ? a.shape[1]! : a.shape[0]!;
      const n = trans.transB ? b.shape[0]! : b.shape[1]!;
      return ops.matmul(a, b, { ...trans, alpha: -1, beta: 1, into: new GpuTensor([m, n], ops.copy(from).buffer) });
    },
    sumSquares: (x) => ops.sumSquares(x),
    read: (x) => ops.read(x),
    release(...xs) {
      for (const x of xs) {
        if (!x) continue;
        inputs.delete(x);
        ops.release(partial.get(x)?.t);
        partial.delete(x);
      }
      ops.release(...xs);
    },
    done: () => ops.flush(),
  };
}
