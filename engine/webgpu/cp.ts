// CP-ALS on the GPU, with the conventions of engine/decomp/cp.ts (TensorLy's parafac: init, mode
// order, update, stopping rule). The tensor stays on the device; the Khatri-Rao product is never
// formed for the MTTKRP. Modes 0 … d−2 share T = X ×_{d−1} A_{d−1} (one GEMM per sweep: A_{d−1}
// does not change while they are updated, the dimension-tree idea of Phan, Tichavský & Cichocki,
// IEEE TSP 61(19), 2013); mode d−1 uses X ×₀ A₀ (a second GEMM). The other modes are then
// contracted away column by column (shaders/mttkrp.wgsl) and the Iₘ × R result read back; the
// R × R normal equations are solved on the host in float64 (alsUpdate, as on the CPU).
//
// The error after each sweep is ‖X − X̂‖F/‖X‖F from the residual (X̂ = KR(A₀·w, …, A_{d−2})·A_{d−1}ᵀ,
// one GEMM written as X − X̂ into a copy of X): TensorLy's √|‖X‖² + ‖X̂‖² − 2⟨X, X̂⟩| from a float32
// MTTKRP would jitter by ~1e-6 at small errors.
import { khatriRao, mat, type Mat } from '../linalg';
import { leadingFromGram, leadingLeftOfUnfolding } from '../decomp/common';
import { alsUpdate, checkCp, initFactors, type CpOptions, type CpResult } from '../decomp/cp';
import { errorRatio, to64 } from '../decomp/dense64';
import { Tensor, finiteSumSquares, normShift, scaleUp, scaledDown } from '../tensor';
import type { MttkrpKernel } from './mttkrp';
import { GpuTensor, HOST_SUBSPACE_WORK, type GpuOps } from './ops';

export async function cpGpu(ops: GpuOps, mk: MttkrpKernel, input: Tensor, opts: CpOptions): Promise<CpResult> {
  const { rank } = opts;
  checkCp(input, rank);
  const normX2 = await finiteSumSquares(input);
  // As on the CPU (decomp/cp.ts): the sweeps run on the input scaled by a power of two, and the
  // scale goes back into the last factor (or the weights when normalized) at the end.
  const shift = normShift(normX2);
  if (shift !== 0) {
    const scaled = await cpGpu(ops, mk, await scaledDown(input, shift), opts);
    const up = (f: Tensor) => new Tensor(f.shape, Float32Array.from(f.data, (v) => scaleUp(v, shift)));
    return opts.normalize ? { ...scaled, weights: up(scaled.weights) } : { ...scaled, factors: scaled.factors.map((f, m) => (m === scaled.factors.length - 1 ? up(f) : f)) };
  }
  const shape = input.shape;
  const d = shape.length;
  const normX = Math.sqrt(normX2);
  const x = await ops.input(input, 'cp input');
  const onDevice: (GpuTensor | null)[] = shape.map(() => null);
  const upload = (m: number, f: Mat) => {
    ops.release(onDevice[m]);
    onDevice[m] = ops.upload(new Tensor([f.rows, f.cols], Float32Array.from(f.data)), `cp factor ${m}`);
  };

  try {
    // Leading subspaces for the svd init: on the host where the unfolding is small, else from the
    // device's Gram matrix (float32; the init only has to start ALS well).
    const leading: { u: Mat; s: ArrayLike<number> }[] = [];
    if (opts.init === 'svd') {
      const x64 = input.size * Math.max(...shape) <= HOST_SUBSPACE_WORK ? to64(await input.materialize()) : null;
      for (let m = 0; m < d; m++) {
        const k = Math.min(rank, shape[m]!);
        if (x64) leading.push(leadingLeftOfUnfolding(x64, m, k));
        else {
          const g = ops.gram(x, m);
          const w = await ops.read(g);
          ops.release(g);
          leading.push(leadingFromGram(mat(shape[m]!, shape[m]!, Float64Array.from(w.data)), k));
        }
      }
    }
    const factors = initFactors(shape, opts, (m) => leading[m]!);
    factors.forEach((f, m) => upload(m, f));
    let weights: Float64Array = new Float64Array(rank).fill(1);
    const trace: number[] = [];
    let iterations = 0;
    const residual = async () => errorRatio(Math.sqrt(await residualSquared(ops, x, factors, weights, onDevice[d - 1]!)), normX);
    for (let i = 0; i < opts.maxIter; i++) {
      const xLast = new GpuTensor([input.size / shape[d - 1]!, shape[d - 1]!], x.buffer);
      const tLast = ops.matmul(xLast, onDevice[d - 1]!); // (I₀…I_{d−2}) × R
      for (let m = 0; m < d - 1; m++) {
        const mt = await contractAllBut(ops, mk, tLast, shape.slice(0, d - 1), onDevice.slice(0, d - 1), m, rank);
        weights = alsUpdate(factors, m, mt, weights, opts.normalize);
        upload(m, factors[m]!);
      }
      ops.release(tLast);
      const xFirst = new GpuTensor([shape[0]!, input.size / shape[0]!], x.buffer);
      const tFirst = ops.matmul(xFirst, onDevice[0]!, { transA: true }); // (I₁…I_{d−1}) × R
      const mt = await contractAllBut(ops, mk, tFirst, shape.slice(1), onDevice.slice(1), d - 2, rank);
      ops.release(tFirst);
      weights = alsUpdate(factors, d - 1, mt, weights, opts.normalize);
      upload(d - 1, factors[d - 1]!);
      const e = await residual();
      trace.push(e);
      iterations = i + 1;
      opts.onIteration?.(i, e);
      if (normX === 0 || (i >= 1 && Math.abs(trace[i - 1]! - e) < opts.tol)) break;
    }
    return {
      weights: new Tensor([rank], Float32Array.from(weights)),
      factors: factors.map((f) => new Tensor([f.rows, f.cols], Float32Array.from(f.data))),
      trace,
      iterations,
      relError: trace.length ? trace[trace.length - 1]! : await residual(),
    };
  } finally {
    ops.release(x, ...onDevice);
    ops.flush();
  }
}

/**
 * T has the modes `dims` then R (C order); contracts every mode but `keep` with its factor's
 * columns (the last mode first) and reads back the dims[keep] × R result.
 */
async function contractAllBut(ops: GpuOps, mk: MttkrpKernel, t: GpuTensor, dims: readonly number[], factors: readonly (GpuTensor | null)[], keep: number, rank: number): Promise<Mat> {
  let axes = dims.map((n, m) => ({ n, m }));
  let cur = t;
  for (let pos = axes.length - 1; pos >= 0; pos--) {
    if (axes[pos]!.m === keep) continue;
    const p = axes.slice(0, pos).reduce((a, b) => a * b.n, 1);
    const q = axes.slice(pos + 1).reduce((a, b) => a * b.n, 1);
    const s = axes[pos]!.n;
    const out = ops.alloc([p * q, rank], 'mttkrp partial');
    const factor = factors[axes[pos]!.m]!;
    ops.encodeWith((enc, temps) => mk.encode(enc, cur.buffer, factor.buffer, out.buffer, { p, s, q, r: rank }, temps));
    if (cur !== t) ops.release(cur);
    cur = out;
    axes = axes.filter((_, i) => i !== pos);
  }
  const m = await ops.read(cur);
  if (cur !== t) ops.release(cur);
  return mat(m.shape[0]!, rank, Float64Array.from(m.data));
}

/** ‖X − X̂‖F² with X̂ = KR(A₀·diag(w), A₁, …, A_{d−2})·A_{d−1}ᵀ (the Khatri-Rao rows in C order of
 * modes 0 … d−2, formed on the host in float64 and uploaded). */
async function residualSquared(ops: GpuOps, x: GpuTensor, factors: readonly Mat[], weights: Float64Array, last: GpuTensor): Promise<number> {
  const d = factors.length;
  const r = weights.length;
  let kr: Mat = mat(factors[0]!.rows, r, factors[0]!.data.map((v, i) => v * weights[i % r]!));
  for (let k = 1; k < d - 1; k++) kr = khatriRao(kr, factors[k]!);
  const krGpu = ops.upload(new Tensor([kr.rows, r], Float32Array.from(kr.data)), 'cp Khatri-Rao');
  const into = new GpuTensor([kr.rows, last.shape[0]!], ops.copy(x).buffer);
  const res = ops.matmul(krGpu, last, { transB: true, alpha: -1, beta: 1, into });
  const r2 = await ops.sumSquares(res);
  ops.release(krGpu, res);
  return r2;
}
