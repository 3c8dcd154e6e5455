// Tucker decomposition on the GPU: the same algorithm and options as engine/decomp/tucker.ts (HOSVD,
// HOOI from the sequentially truncated HOSVD, TensorLy's stopping rule), with the tensor resident
// on the device. Each mode's subspace comes from the Gram matrix of the projected unfolding, formed
// on the device and read back (Iₙ × Iₙ); its eigenvectors are taken on the host in float64.
//
// The error after each sweep (TensorLy's stopping rule compares it to tol = 1e-8) must be resolved
// to ~1e-9. TensorLy's √|‖X‖² − ‖G‖²| does that only where ‖G‖² is known in float64 and the error is
// not small (the difference of squares loses digits as 1/e): there ‖G‖² is the sum of the last
// mode's σ², computed on the host. Below an error of 0.1 the error is instead ‖X − X̂‖F itself (the
// last mode product of the reconstruction writes X − X̂ into a copy of X, then a norm), whose float32
// rounding is relative to the residual, ~1e-9 absolute. The two agree in exact arithmetic.
// The subspaces: a float32 Gram matrix squares the unfolding's condition number, so singular values
// below ~3e-4·σ₁ drown in its rounding (Tucker errors of 1e-4 and below come out wrong). Where the
// projected unfolding is small (Iₙ²·K ≤ HOST_SUBSPACE_WORK: every HOOI sweep of a 256³ tensor at
// rank 16) it is read back and its subspace computed in float64 on the host, as on the CPU; only
// the large unfoldings of the HOSVD and the first steps of HOOI's start use the device's Gram, and
// the HOOI sweeps then refine those subspaces to float64 quality.
// Ranks from eps are chosen on the host in float64, from the exact unfoldings' spectra: a float32
// Gram matrix cannot resolve tails below ~1e-3·‖X‖.
import { mat, orthonormalize, type Mat } from '../linalg';
import { leadingFromGram, leadingLeftOfUnfolding } from '../decomp/common';
import { errorRatio, to64 } from '../decomp/dense64';
import { planTucker, type TuckerOptions, type TuckerResult } from '../decomp/tucker';
import { Tensor, finiteSumSquares } from '../tensor';
import { HOST_SUBSPACE_WORK, type GpuOps, type GpuTensor } from './ops';

export async function tuckerGpu(ops: GpuOps, input: Tensor, opts: TuckerOptions): Promise<TuckerResult> {
  const normX2 = await finiteSumSquares(input);
  // eps picks the ranks from the unfoldings' spectra in float64 on the host.
  if (opts.eps !== undefined) await input.materialize();
  const { modes, ranks } = planTucker(input, opts);
  const shape = input.shape;
  const normX = Math.sqrt(normX2);

  const x = await ops.input(input, 'tucker input');
  const factors: (Mat | null)[] = shape.map(() => null);
  const onDevice: (GpuTensor | null)[] = shape.map(() => null);
  const setFactor = (m: number, u: Mat) => {
    factors[m] = u;
    ops.release(onDevice[m]);
    onDevice[m] = ops.upload(new Tensor([u.rows, u.cols], Float32Array.from(u.data)), `tucker factor ${m}`);
  };
  /** Leading subspace of mode m of y; `s` holds y's singular values when computed on the host. */
  const leading = async (y: GpuTensor, m: number): Promise<{ u: Mat; s: Float64Array | null }> => {
    const work = shape[m]! * y.size;
    if (work <= HOST_SUBSPACE_WORK) {
      // Small enough to read back: the subspace in float64 on the host, as the CPU computes it.
      const t = y === x ? await input.materialize() : await ops.read(y);
      return leadingLeftOfUnfolding(to64(t), m, ranks[m]!);
    }
    const g = ops.gram(y, m);
    const w = await ops.read(g);
    ops.release(g);
    return { u: leadingFromGram(mat(w.shape[0]!, w.shape[1]!, Float64Array.from(w.data)), ranks[m]!).u, s: null };
  };

  /** The error after a sweep: TensorLy's √|‖X‖² − ‖G‖²| with ‖G‖² = Σ σ² of the last mode's
   * projected unfolding (float64 on the host) where that resolves it (errors ≥ 0.1), else the
   * residual's own norm. */
  const sweepError = async (spectrum: Float64Array | null): Promise<number> => {
    if (spectrum) {
      let g2 = 0;
      for (const v of spectrum) g2 += v * v;
      const e = errorRatio(Math.sqrt(Math.abs(normX2 - g2)), normX);
      if (e >= 0.1) return e;
    }
    return errorRatio(await residualNorm(ops, x, onDevice), normX);
  };

  try {
    if (opts.init === 'random') {
      for (const m of modes) {
        const g = mat(shape[m]!, ranks[m]!);
        opts.random.fillNormal(g.data);
        setFactor(m, orthonormalize(g));
      }
    } else if (opts.method === 'hosvd') {
      for (const m of modes) setFactor(m, (await leading(x, m)).u);
    } else {
      // Sequentially truncated HOSVD, the most shrinking mode first (as on the CPU).
      let y = x;
      for (const m of [...modes].sort((a, b) => shape[b]! / ranks[b]! - shape[a]! / ranks[a]! || b - a)) {
        setFactor(m, (await leading(y, m)).u);
        const next = ops.ttm(y, onDevice[m]!, m, true);
        if (y !== x) ops.release(y);
        y = next;
      }
      ops.release(y);
    }

    const trace: number[] = [];
    let iterations = 0;
    if (opts.method === 'hooi') {
      for (let i = 0; i < opts.maxIter; i++) {
        let spectrum: Float64Array | null = null;
        for (const m of modes) {
          const y = project(ops, x, onDevice, m);
          const { u, s } = await leading(y, m);
          setFactor(m, u);
          spectrum = s && s.subarray(0, ranks[m]!);
          if (y !== x) ops.release(y);
        }
        const e = await sweepError(spectrum);
        trace.push(e);
        iterations = i + 1;
        opts.onIteration?.(i, e);
        // The zero tensor is exact after one sweep (its error is 0).
        if (normX === 0 || (i > 1 && Math.abs(trace[i - 1]! - e) < opts.tol)) break;
      }
    }
    const coreGpu = project(ops, x, onDevice, -1);
    const core = await ops.read(coreGpu);
    if (coreGpu !== x) ops.release(coreGpu);
    const relError = trace.length ? trace[trace.length - 1]! : errorRatio(await residualNorm(ops, x, onDevice), normX);
    const full = factors.map((f, m) => {
      if (f) return new Tensor([f.rows, f.cols], Float32Array.from(f.data));
      const eye = new Tensor([shape[m]!, shape[m]!]);
      for (let i = 0; i < shape[m]!; i++) eye.data[i * shape[m]! + i] = 1;
      return eye;
    });
    return { core, factors: full, ranks, trace, iterations, relError };
  } finally {
    ops.release(x, ...onDevice);
    ops.flush();
  }
}

/** The decomposed modes other than `skip` in contraction order: the most shrinking first, the later
 * mode on ties (as the CPU's project). */
function order(factors: readonly (GpuTensor | null)[], skip: number): number[] {
  return factors
    .map((f, m) => ({ f, m }))
    .filter(({ f, m }) => f && m !== skip)
    .sort((a, b) => b.f!.shape[0]! / b.f!.shape[1]! - a.f!.shape[0]! / a.f!.shape[1]! || b.m - a.m)
    .map(({ m }) => m);
}

/** X ×ₘ Uₘᵀ over every decomposed mode except `skip`; returns x itself when nothing is contracted. */
function project(ops: GpuOps, x: GpuTensor, factors: readonly (GpuTensor | null)[], skip: number): GpuTensor {
  let y = x;
  for (const m of order(factors, skip)) {
    const next = ops.ttm(y, factors[m]!, m, true);
    if (y !== x) ops.release(y);
    y = next;
  }
  return y;
}

/** ‖X − G ×ₙ Uₙ‖F with G = X ×ₙ Uₙᵀ: the core is expanded mode by mode, the last product written as
 * X − X̂ into a copy of X. */
async function residualNorm(ops: GpuOps, x: GpuTensor, factors: readonly (GpuTensor | null)[]): Promise<number> {
  const core = project(ops, x, factors, -1);
  const expand = order(factors, -1).reverse();
  let y = core;
  expand.forEach((m, i) => {
    const last = i === expand.length - 1;
    const next = last ? ops.ttm(y, factors[m]!, m, false, { into: ops.copy(x), alpha: -1, beta: 1 }) : ops.ttm(y, factors[m]!, m, false);
    if (y !== x) ops.release(y);
    y = next;
  });
  const r = Math.sqrt(await ops.sumSquares(y));
  if (y !== x) ops.release(y);
  return r;
}
