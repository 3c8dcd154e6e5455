// Binds shaders/fwht.wgsl: the orthonormal fast Walsh–Hadamard transform along the last axis of a
// resident tensor, in place, one workgroup per line. Lines of up to 4096 take one pass; longer ones
// (natural order) two: H_{n1·n2} = H_{n1} ⊗ H_{n2}, so each line, seen as an n1 × n2 matrix, is
// transformed along its rows, transposed, transformed again and transposed back.
import { Tensor, formatShape } from '../../tensor';
import { sequencyPermutation } from '../../transforms';
import type { GpuContext } from '../runtime/device';
import { GpuTensor, type GpuOps } from '../ops';
import { BufferPool } from '../runtime/pool';
import { dispatchGrid, kernel, lineWindows, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

export const FWHT_ONE_PASS = 4096;
export type FwhtOrder = 'natural' | 'sequency';

export class FwhtKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    readonly pool = new BufferPool(ctx.device),
  ) {
    this.kernel = kernel(ctx.device, 'fwht', ['uniform', 'storage', 'read-only-storage'], { WG: 256, LINE: FWHT_ONE_PASS });
  }

  /** Records the in-place transform of `lines` contiguous lines of length n ≤ 4096 in `data`. */
  encode(encoder: GPUCommandEncoder, data: GPUBuffer, lines: number, n: number, order: FwhtOrder, inverse: boolean, temps: GPUBuffer[]): number {
    if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`the Walsh–Hadamard transform needs power-of-two lines, got ${n}`);
    if (n > FWHT_ONE_PASS) throw new Error(`one FWHT pass handles lines of up to ${FWHT_ONE_PASS}, got ${n}`);
    if (lines === 0) return 0;
    const { device } = this.ctx;
    const perm = this.pool.acquire('fwht perm', 4 * n, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const mode = order === 'sequency' ? (inverse ? 2 : 1) : 0;
    if (mode) device.queue.writeBuffer(perm, 0, sequencyPermutation(n) as Uint32Array<ArrayBuffer>);
    temps.push(perm);
    // Lines beyond one storage binding are transformed a window of whole lines at a time.
    const windows = lineWindows(lines, n, this.ctx.limits.maxStorageBufferBindingSize);
    if (!windows.length) throw new Error(`the FWHT cannot bind even one aligned block of lines of ${n} within this device's storage binding limit`);
    for (const w of windows) {
      const uniform = paramsBuffer(device, this.pool, 'fwht', { n, log2n: Math.log2(n), sequency: mode, scale: 1 / Math.sqrt(n), lines: w.count });
      temps.push(uniform);
      dispatchGrid(encoder, device, this.kernel, 'fwht', [uniform, w.binding(data), perm], w.count);
    }
    return windows.length;
  }

  /** The transform of every line along the last axis of a host tensor (n ≤ 4096), read back. */
  async transformLastAxis(x: Tensor, order: FwhtOrder = 'natural'): Promise<Tensor> {
    const n = x.shape[x.ndim - 1] ?? 1;
    if (n < 1 || (n & (n - 1)) !== 0) throw new Error(`the Walsh–Hadamard transform needs a power-of-two last axis, but ${formatShape(x.shape)} ends in ${n}`);
    const { device } = this.ctx;
    const bytes = x.data.byteLength;
    const data = this.pool.acquire('fwht data', bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
    device.queue.writeBuffer(data, 0, x.data as Float32Array<ArrayBuffer>);
    const readback = this.pool.acquire('fwht readback', bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const temps: GPUBuffer[] = [data, readback];
    const encoder = device.createCommandEncoder({ label: 'fwht encoder' });
    this.encode(encoder, data, x.size / n, n, order, false, temps);
    encoder.copyBufferToBuffer(data, 0, readback, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(readback.getMappedRange().slice(0, bytes));
    readback.unmap();
    this.pool.release(...temps);
    return new Tensor(x.shape, out);
  }
}

/** The transform along the last axis of a resident tensor, in place; any power-of-two length in
 * natural order, up to 4096 in sequency order. */
export function fwhtLastAxis(ops: GpuOps, fwht: FwhtKernel, x: GpuTensor, order: FwhtOrder, inverse: boolean): void {
  const n = x.shape[x.shape.length - 1] ?? 1;
  const lines = n === 0 ? 0 : x.size / n;
  if (n <= FWHT_ONE_PASS) return ops.encodeWith((enc, temps) => fwht.encode(enc, x.buffer, lines, n, order, inverse, temps));
  if (order === 'sequency') throw new Error(`the WebGPU FWHT takes sequency order on lines of up to ${FWHT_ONE_PASS}, got ${n}`);
  const n2 = FWHT_ONE_PASS;
  const n1 = n / n2;
  if (n1 > FWHT_ONE_PASS) throw new Error(`the WebGPU FWHT handles lines of up to ${FWHT_ONE_PASS ** 2}, got ${n}`);
  ops.encodeWith((enc, temps) => fwht.encode(enc, x.buffer, lines * n1, n2, 'natural', false, temps));
  const t = ops.permute(new GpuTensor([lines, n1, n2], x.buffer), [0, 2, 1]);
  ops.encodeWith((enc, temps) => fwht.encode(enc, t.buffer, lines * n2, n1, 'natural', false, temps));
  ops.permute(t, [0, 2, 1], x);
  ops.release(t);
}
