// Binds shaders/chebyshev.wgsl: a Chebyshev expansion (dense or Chebyshev-Tucker) evaluated at m
// points on the GPU, one thread per point, in float32 — the same function as engine/chebyshev.ts
// evaluateChebyshev, which evaluates in float64.
import { Tensor, formatShape } from '../../tensor';
import { expansionLayout } from '../../chebyshev';
import type { ChebyshevValue } from '../../values';
import type { GpuContext } from '../runtime/device';
import type { GpuOps } from '../ops';
import { dispatchGrid, kernel, type Kernel } from '../runtime/pipeline';
import { paramsBuffer, type ParamValues } from '../runtime/params';

const MAX_DIMS = 8;
const MAX_W = 256;
/** Threads per workgroup, one per point. */
const WG = 64;

export class ChebyshevKernel {
  private readonly kernel: Kernel;

  constructor(private readonly ctx: GpuContext) {
    this.kernel = kernel(ctx.device, 'chebyshev', ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage'], { WG });
  }

  /** The expansion at the m points of `points` (m × d, row-major). */
  async evaluate(ops: GpuOps, e: ChebyshevValue, points: Float32Array, m: number): Promise<Float32Array> {
    const { d, degrees, ranks, core, factors: tuckerFactors } = expansionLayout(e);
    if (d > MAX_DIMS) throw new Error(`the WebGPU Chebyshev evaluation handles up to ${MAX_DIMS} dimensions, got ${d}`);
    const wTotal = ranks.reduce((a, b) => a + b, 0);
    if (wTotal > MAX_W) throw new Error(`the WebGPU Chebyshev evaluation needs Σ ranks ≤ ${MAX_W}, got ${formatShape(ranks)}`);
    if (m === 0) return new Float32Array(0);
    const factorOffset: number[] = [];
    const wOffset: number[] = [];
    let fo = 0;
    let wo = 0;
    for (let a = 0; a < d; a++) {
      factorOffset.push(fo);
      wOffset.push(wo);
      fo += degrees[a]! * ranks[a]!;
      wo += ranks[a]!;
    }
    const params = (count: number): ParamValues<'chebyshev'> => ({
      m: count,
      d,
      tucker: tuckerFactors ? 1 : 0,
      core_size: core.size,
      degree: degrees,
      rank: ranks,
      factor_offset: factorOffset,
      w_offset: wOffset,
      lo: e.domain.map(([lo]) => lo),
      hi: e.domain.map(([, hi]) => hi),
    });
    const factors = new Float32Array(Math.max(1, fo));
    if (tuckerFactors) {
      let off = 0;
      for (const f of tuckerFactors) {
        factors.set(f.data, off);
        off += f.size;
      }
    }
    const coreGpu = ops.upload(core, 'chebyshev core');
    const factorsGpu = ops.upload(new Tensor([factors.length], factors), 'chebyshev factors');
    const out = new Float32Array(m);
    try {
      // The expansion is bound whole (every point reads all of it); the points go in chunks that
      // fit one binding, each uploaded, evaluated and read back in turn.
      for (const t of [coreGpu, factorsGpu]) ops.requireBinding(t, 'Chebyshev evaluation (the coefficients)');
      const room = Math.floor(this.ctx.limits.maxStorageBufferBindingSize / 4 / d);
      const chunk = m <= room ? m : Math.floor(room / 64) * 64;
      if (chunk === 0) throw new Error(`the Chebyshev evaluation on the GPU cannot bind 64 points of ${d} coordinates within this device's storage binding limit`);
      for (let p0 = 0; p0 < m; p0 += chunk) {
        const count = Math.min(chunk, m - p0);
        const uniform = paramsBuffer(this.ctx.device, ops.pool, 'chebyshev', params(count));
        const pts = ops.upload(new Tensor([count, d], points.subarray(p0 * d, (p0 + count) * d)), 'chebyshev points');
        const values = ops.alloc([count], 'chebyshev values');
        ops.encodeWith((encoder, temps) => {
          temps.push(uniform);
          return dispatchGrid(encoder, this.ctx.device, this.kernel, 'chebyshev', [uniform, pts.buffer, coreGpu.buffer, factorsGpu.buffer, values.buffer], Math.ceil(count / WG));
        });
        out.set((await ops.read(values)).data, p0);
        ops.release(pts, values);
      }
      return out;
    } finally {
      ops.release(coreGpu, factorsGpu);
      ops.flush();
    }
  }
}
