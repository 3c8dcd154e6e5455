// The dense ops (engine/decomp/ops.ts) on a WebGPU device: tensors stay resident in float32 between
// the steps of a decomposition; factors are uploaded once per update. A subspace comes from the
// projected unfolding read back and taken in float64 on the host where that is small
// (Iₙ²·K ≤ HOST_SUBSPACE_WORK: every HOOI sweep of a 256³ tensor at rank 16), else from the
// device's Gram matrix (float32, which squares the condition number: singular values below
// ~3e-4·σ₁ drown in its rounding, so only the large unfoldings of a first pass use it, and later
// sweeps refine those subspaces to float64 quality).
import { mat, type Mat } from '../linalg';
import { leadingFromGram, leadingLeftOfUnfolding } from '../decomp/common';
import { to64 } from '../decomp/dense64';
import type { DenseOps } from '../decomp/ops';
import { Tensor } from '../tensor';
import { HOST_SUBSPACE_WORK, type GpuOps, type GpuTensor } from './ops';

export function gpuDenseOps(ops: GpuOps): DenseOps<GpuTensor, GpuTensor> {
  // Each input's host tensor: its values are read from there, not from the device, when needed.
  const inputs = new Map<GpuTensor, Tensor>();
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
        return leadingLeftOfUnfolding(to64(t), mode, r);
      }
      const g = ops.gram(x, mode);
      const w = await ops.read(g);
      ops.release(g);
      return { u: leadingFromGram(mat(w.shape[0]!, w.shape[1]!, Float64Array.from(w.data)), r).u, s: null };
    },
    sumSquares: (x) => ops.sumSquares(x),
    read: (x) => ops.read(x),
    release(...xs) {
      for (const x of xs) if (x) inputs.delete(x);
      ops.release(...xs);
    },
    done: () => ops.flush(),
  };
}
