// Binds shaders/mttkrp.wgsl: out[p, q, r] = Σ_s T[p, s, q, r]·A[s, r] on device buffers; and the
// MTTKRP of CP-ALS on a device built from it (contractAllBut): the Khatri-Rao product is never
// formed, the other modes are contracted away column by column and the Iₘ × R result read back.
import { mat, type Mat } from '../../linalg';
import type { GpuContext } from '../runtime/device';
import type { GpuOps, GpuTensor } from '../ops';
import type { BufferPool } from '../runtime/pool';
import { dispatchGrid, kernel, windowAt, type Kernel } from '../runtime/pipeline';
import { paramsBuffer } from '../runtime/params';

/** Threads per workgroup, one per output entry. */
const WG = 256;

export class MttkrpKernel {
  private readonly kernel: Kernel;

  constructor(
    private readonly ctx: GpuContext,
    private readonly pool: BufferPool,
  ) {
    this.kernel = kernel(ctx.device, 'mttkrp', ['uniform', 'read-only-storage', 'read-only-storage', 'storage'], { WG });
  }

  /**
   * Records the contraction of axis 1 of T (P × S × Q × R) with A (S × R) into out (P × Q × R).
   * Beyond one storage binding, T goes in windows of whole P-slabs, or of S-runs of one slab
   * (accumulated) where a slab alone is too large. Returns the number of dispatches.
   */
  encode(encoder: GPUCommandEncoder, t: GPUBuffer, a: GPUBuffer, out: GPUBuffer, dims: { p: number; s: number; q: number; r: number }, temps: GPUBuffer[]): number {
    const { p, s, q, r } = dims;
    if (p * q * r === 0) return 0;
    const limit = this.ctx.limits.maxStorageBufferBindingSize;
    const room = Math.floor(limit / 4) - 64;
    const qr = q * r;
    const slab = s * qr;
    const whole = 4 * p * slab <= limit;
    if (!whole && qr > room) {
      throw new Error(`the MTTKRP on the GPU cannot bind one ${q}×${r} slice of its ${p}×${s}×${q}×${r} operand within this device's storage binding limit of ${limit} bytes (adapter: ${this.ctx.adapter}); use --backend cpu for this node`);
    }
    // Rows of P per window (whole slabs) or, with one row, the S-run per window.
    const [pc, sc] = whole ? [p, s] : slab <= room ? [Math.floor(room / slab), s] : [1, Math.floor(room / qr)];
    let dispatches = 0;
    for (let p0 = 0; p0 < p; p0 += pc) {
      const rows = Math.min(pc, p - p0);
      for (let s0 = 0; s0 < s; s0 += sc) {
        const run = Math.min(sc, s - s0);
        const tw = windowAt(t, p0 * slab + s0 * qr, (rows - 1) * slab + run * qr);
        const ow = windowAt(out, p0 * qr, rows * qr);
        const uniform = paramsBuffer(this.ctx.device, this.pool, 'mttkrp', { p: rows, s: run, q, r, off_t: tw.skip, off_a: s0 * r, off_out: ow.skip, accumulate: s0 > 0 ? 1 : 0 });
        temps.push(uniform);
        dispatches += dispatchGrid(encoder, this.ctx.device, this.kernel, 'mttkrp', [uniform, tw.binding, a, ow.binding], Math.ceil((rows * qr) / WG));
      }
    }
    return dispatches;
  }
}

/**
 * T has the modes `dims` then R (C order); contracts every mode but `keep` with its factor's
 * columns (the last mode first) and reads back the dims[keep] × R result.
 */
export async function contractAllBut(ops: GpuOps, mk: MttkrpKernel, t: GpuTensor, dims: readonly number[], factors: readonly (GpuTensor | null)[], keep: number, rank: number): Promise<Mat> {
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
