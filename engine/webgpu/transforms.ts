// The line ops (engine/transforms/ops.ts) on the GPU: the DCT, the Walsh–Hadamard transform and the
// wavelet levels, each written once there. Each axis is moved last by a permute on the device,
// transformed as contiguous lines, and moved back; the tensor stays on the device between axes and
// stays there until read (GpuOps.result). The DCT of each line is one
// product with the orthonormal N×N cosine matrix, computed in float64 on the host and rounded
// (Y = X·Cᵀ, X = Y·C): O(N²) per line, which the GEMM makes cheap on a GPU for short axes;
// axes above DCT_FFT_ABOVE go through an FFT per line instead (powers of two in one workgroup up to
// 2048, in four steps up to 2048², other lengths by Bluestein's convolution: engine/webgpu/dct-fft.ts,
// dct-four-step.ts).
import { Tensor } from '../tensor';
import { dctMatrix, dctWith, dwtWith, whtWith, type DwtOptions, type LineOps } from '../transforms';
import type { DctOptions, WhtOptions } from '../backend';
import { DctFftKernel } from './kernels/dct-fft';
import { encodeDwtLevel, type DwtKernel } from './kernels/dwt';
import { fwhtLastAxis, type FwhtKernel } from './kernels/fwht';
import { GpuTensor, type GpuOps } from './ops';

/** Axis length above which a power-of-two DCT takes the FFT kernel. */
export const DCT_FFT_ABOVE = 256;

export interface LineKernels {
  /** The FFT routes of the DCT (without: the cosine-matrix product for every length). */
  dctFft?: DctFftKernel;
  /** Axis length above which the FFT route is taken where it handles the length. */
  fftAbove?: number;
  fwht?: FwhtKernel;
  dwt?: DwtKernel;
}

export function gpuLineOps(ops: GpuOps, k: LineKernels = {}): LineOps<GpuTensor> {
  // The input as the device keeps it: the in-place line kernels never write it (a copy first).
  let kept: GpuTensor | null = null;
  /** f along `axis`: the axis moved last (a new tensor), or the tensor itself when it is last
   * (a copy of the kept input); the result moved back. */
  const alongLast = (t: GpuTensor, shape: readonly number[], axis: number, f: (t: GpuTensor) => GpuTensor): GpuTensor => {
    const d = shape.length;
    const toLast = [...shape.keys()].filter((i) => i !== axis).concat(axis);
    const back = shape.map((_, i) => toLast.indexOf(i));
    const moved = axis === d - 1 ? (t === kept ? ops.copy(t) : t) : ops.permute(t, toLast);
    if (moved !== t) ops.release(t);
    const done = f(moved);
    if (done !== moved) ops.release(moved);
    const out = axis === d - 1 ? done : ops.permute(done, back);
    if (out !== done) ops.release(done);
    return out;
  };
  return {
    async working(x) {
      kept = await ops.input(x, 'transform input');
      return kept;
    },
    dctAxis: (t, shape, axis, inverse) => alongLast(t, shape, axis, (m) => dctLastAxis(ops, m, inverse, k.dctFft, k.fftAbove ?? DCT_FFT_ABOVE)),
    whtAxis(t, shape, axis, order, inverse) {
      if (!k.fwht) throw new Error('these WebGPU line ops were made without the FWHT kernel');
      return alongLast(t, shape, axis, (m) => {
        fwhtLastAxis(ops, k.fwht!, m, order, inverse);
        return m;
      });
    },
    dwtLevel(t, shape, extent, axis, taps, inverse) {
      if (!k.dwt) throw new Error('these WebGPU line ops were made without the DWT kernel');
      // From one buffer into another: the kept input is read, never written.
      const out = ops.alloc(shape, 'dwt output');
      encodeDwtLevel(ops, k.dwt, t, out, shape, extent, axis, taps, inverse);
      if (t !== kept) ops.release(t);
      return out;
    },
    result: (t) => ops.result(t),
    release(t) {
      if (t !== kept) ops.release(t);
    },
    done: () => ops.flush(),
  };
}

/** The DCT of the last axis: by the FFT kernels on power-of-two axes longer than `fftAbove` (see
 * DctFftKernel.handles), in place; else by a product with the cosine matrix, a new tensor. */
function dctLastAxis(ops: GpuOps, t: GpuTensor, inverse: boolean, fft: DctFftKernel | undefined, fftAbove: number): GpuTensor {
  const n = t.shape[t.shape.length - 1]!;
  if (fft && n > fftAbove && fft.handles(n)) {
    fft.transformLastAxis(t, inverse);
    return t;
  }
  // Checked before the host builds the matrix (n² float64s): past the FFT route's lengths it can
  // be terabytes.
  const limit = ops.ctx.limits.maxBufferSize;
  if (4 * n * n > limit) {
    throw new Error(`the DCT along an axis of ${n} has no FFT route on this device (FFT lengths up to 2048², and the complex line must fit one storage binding of ${ops.ctx.limits.maxStorageBufferBindingSize} bytes) and its ${n}×${n} cosine matrix (${size(4 * n * n)}) exceeds the largest buffer (${size(limit)}); crop or pad the axis (tensor.slice, tensor.pad) to at most 2097152, or a power of two up to 4194304`);
  }
  const c = ops.upload(new Tensor([n, n], Float32Array.from(dctMatrix(n))), 'DCT matrix');
  const y = ops.matmul(new GpuTensor([t.size / n, n], t.buffer), c, { transB: !inverse });
  ops.release(c);
  return new GpuTensor(t.shape, y.buffer);
}

/** The transforms on a device (the backend's methods; tests and benchmarks call them too). */
export const dctGpu = (ops: GpuOps, x: Tensor, opts: DctOptions, fft?: DctFftKernel, fftAbove = DCT_FFT_ABOVE): Promise<Tensor> =>
  dctWith(gpuLineOps(ops, { ...(fft ? { dctFft: fft } : {}), fftAbove }), x, opts);
export const whtGpu = (ops: GpuOps, fwht: FwhtKernel, x: Tensor, opts: WhtOptions): Promise<Tensor> => whtWith(gpuLineOps(ops, { fwht }), x, opts);
export const dwtGpu = (ops: GpuOps, dwt: DwtKernel, x: Tensor, opts: DwtOptions): Promise<Tensor> => dwtWith(gpuLineOps(ops, { dwt }), x, opts);

const size = (bytes: number) => (bytes < 2 ** 30 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 2 ** 30).toFixed(1)} GiB`);
