// The DCT and the Walsh–Hadamard transform along any axes on the GPU. Each axis is moved last by a
// permute on the device, transformed as contiguous lines, and moved back; the tensor stays on the
// device between axes and stays there until read (GpuOps.result). The DCT of each line is one
// product with the orthonormal N×N cosine matrix, computed in float64 on the host and rounded
// (Y = X·Cᵀ, X = Y·C): O(N²) per line, which the GEMM makes cheap on a GPU for short axes;
// axes above DCT_FFT_ABOVE go through an FFT per line instead (powers of two in one workgroup up to
// 2048, in four steps up to 2048², other lengths by Bluestein's convolution: engine/webgpu/dct-fft.ts,
// dct-four-step.ts).
import { Tensor, checkFinite, finiteSumSquares } from '../tensor';
import { dctMatrix, resolveAxes, whtAxes } from '../transforms';
import type { DctOptions, WhtOptions } from '../backend';
import { DctFftKernel } from './dct-fft';
import { fwhtLastAxis, type FwhtKernel } from './fwht';
import { GpuTensor, type GpuOps } from './ops';

/** Axis length above which a power-of-two DCT takes the FFT kernel. */
export const DCT_FFT_ABOVE = 256;

/** The DCT along `opts.axes`: by the FFT kernels (when given) on power-of-two axes longer than
 * `fftAbove` (see DctFftKernel.handles), else by a product with the cosine matrix. */
export async function dctGpu(ops: GpuOps, x: Tensor, opts: DctOptions, fft?: DctFftKernel, fftAbove = DCT_FFT_ABOVE): Promise<Tensor> {
  if (x.materialized) checkFinite(x);
  else await finiteSumSquares(x); // a deferred input's check, on the device
  const axes = resolveAxes(opts.axes, x.ndim);
  return alongAxes(ops, x, axes, (t) => {
    const n = t.shape[t.shape.length - 1]!;
    if (fft && n > fftAbove && fft.handles(n)) {
      fft.transformLastAxis(t, !!opts.inverse);
      return t;
    }
    // Checked before the host builds the matrix (n² float64s): past the FFT route's lengths it can
    // be terabytes.
    const limit = ops.ctx.limits.maxBufferSize;
    if (4 * n * n > limit) {
      throw new Error(`the DCT along an axis of ${n} has no FFT route on this device (FFT lengths up to 2048², and the complex line must fit one storage binding of ${ops.ctx.limits.maxStorageBufferBindingSize} bytes) and its ${n}×${n} cosine matrix (${size(4 * n * n)}) exceeds the largest buffer (${size(limit)}); crop or pad the axis (tensor.slice, tensor.pad) to at most 2097152, or a power of two up to 4194304`);
    }
    const c = ops.upload(new Tensor([n, n], Float32Array.from(dctMatrix(n))), 'DCT matrix');
    const y = ops.matmul(new GpuTensor([t.size / n, n], t.buffer), c, { transB: !opts.inverse });
    ops.release(c);
    return new GpuTensor(t.shape, y.buffer);
  });
}

export async function whtGpu(ops: GpuOps, fwht: FwhtKernel, x: Tensor, opts: WhtOptions): Promise<Tensor> {
  const axes = whtAxes(x, opts.axes);
  if (!x.materialized) await finiteSumSquares(x);
  return alongAxes(ops, x, axes, (t) => {
    fwhtLastAxis(ops, fwht, t, opts.order ?? 'natural', !!opts.inverse);
    return t;
  });
}

/** Uploads x (unless it is on the device), applies `lastAxis` (in place, or returning a new
 * tensor) along each axis in turn, and returns the result as GpuOps.result leaves it. */
async function alongAxes(ops: GpuOps, x: Tensor, axes: readonly number[], lastAxis: (t: GpuTensor) => GpuTensor): Promise<Tensor> {
  if (x.size === 0 || axes.length === 0) return new Tensor(x.shape, Float32Array.from((await x.materialize()).data));
  const d = x.ndim;
  // The kept input must stay as it is: the line kernels run in place, so when the first axis is the
  // last (no transpose makes a new tensor first) they work on a copy.
  const kept = await ops.input(x, 'transform input');
  let t = axes[0] === d - 1 ? ops.copy(kept) : kept;
  try {
    for (const axis of axes) {
      const toLast = [...x.shape.keys()].filter((i) => i !== axis).concat(axis);
      const back = x.shape.map((_, i) => toLast.indexOf(i));
      const moved = axis === d - 1 ? t : ops.permute(t, toLast);
      if (moved !== t) ops.release(t);
      const done = lastAxis(moved);
      if (done !== moved) ops.release(moved);
      t = axis === d - 1 ? done : ops.permute(done, back);
      if (t !== done) ops.release(done);
    }
    // Left on the device (or read back and kept there): the next transform of it starts there.
    const done = t;
    t = kept;
    return await ops.result(done);
  } catch (e) {
    ops.release(t);
    throw e;
  } finally {
    ops.flush();
  }
}

const size = (bytes: number) => (bytes < 2 ** 30 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 2 ** 30).toFixed(1)} GiB`);
