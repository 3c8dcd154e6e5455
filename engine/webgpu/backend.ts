// The WebGPU backend: Tucker, CP-ALS, TT-SVD, randomized SVD, DCT, FWHT, DWT and the evaluation of
// Chebyshev expansions on the device; the exact SVD (float64, which float32 kernels cannot
// match) runs on the CPU backend, the definition.
// Every call runs inside out-of-memory and validation error scopes, so a GPU failure fails that node
// with a message instead of a console warning and a wrong result. A lost device fails the node that
// was running; the next call acquires a fresh device from the same provider.
import type { Backend, DctOptions, WhtOptions } from '../backend';
import { cpWith, truncatedSvdWith, ttWith, tuckerWith, type CpOptions, type SvdOptions, type TtOptions, type TuckerOptions } from '../decomp';
import type { Tensor } from '../tensor';
import type { DwtOptions } from '../transforms';
import type { ChebyshevValue } from '../values';
import { ChebyshevKernel } from './kernels/chebyshev';
import { PluckerFlowKernel } from './kernels/plucker-flow';
import { acquireDevice, isSoftwareAdapter, type GpuContext } from './runtime/device';
import { DctFftKernel } from './kernels/dct-fft';
import { gpuDenseOps } from './dense-ops';
import { DwtKernel } from './kernels/dwt';
import { FwhtKernel } from './kernels/fwht';
import { MttkrpKernel } from './kernels/mttkrp';
import { GpuOps, type OpStats } from './ops';
import { dctGpu, dwtGpu, whtGpu } from './transforms';
import { RadianceKernels } from './kernels/radiance';
import { GpuRadianceOps } from './radiance';
import type { RadianceOps } from '../radiance/ops';

interface Session {
  ctx: GpuContext;
  ops: GpuOps;
  fwht: FwhtKernel;
  dwt: DwtKernel;
  mttkrp: MttkrpKernel;
  chebyshev: ChebyshevKernel;
  flow: PluckerFlowKernel;
  dctFft: DctFftKernel;
  /** Made on first use. */
  radiance?: RadianceKernels;
  /** Set when the device is lost (reason and message); the next call starts a fresh session. */
  lost: string | null;
  /** Set by destroy(): the loss that follows is ours, not a failure. */
  closing: boolean;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  private session: Session;
  /** Counts of the sessions before the current one (a lost device's). */
  private readonly earlier: OpStats = { dispatches: 0, submits: 0, readbacks: 0, uploadBytes: 0, readbackBytes: 0, deferred: 0, deferredRead: 0 };

  private constructor(
    private readonly gpu: GPU,
    ctx: GpuContext,
  ) {
    this.session = WebGpuBackend.open(ctx);
  }

  /** A backend on the adapter of `gpu` (navigator.gpu, or Dawn's GPU in Node); `hardwareOnly`
   * refuses a software adapter (SoftwareAdapterError) without creating a device. */
  static async create(gpu: GPU | undefined, label = 'corespace', opts: { hardwareOnly?: boolean } = {}): Promise<WebGpuBackend> {
    const ctx = await acquireDevice(gpu, label, opts);
    return new WebGpuBackend(gpu!, ctx);
  }

  private static open(ctx: GpuContext): Session {
    const ops = new GpuOps(ctx);
    ops.defer = true; // results stay on the device until something reads them
    const s: Session = { ctx, ops, fwht: new FwhtKernel(ctx, ops.pool), dwt: new DwtKernel(ctx, ops.pool), mttkrp: new MttkrpKernel(ctx, ops.pool), chebyshev: new ChebyshevKernel(ctx), flow: new PluckerFlowKernel(ctx), dctFft: new DctFftKernel(ctx, ops), lost: null, closing: false };
    void ctx.device.lost.then((info) => {
      if (!s.closing) s.lost = `${info.reason === 'destroyed' ? 'destroyed' : 'lost'}: ${info.message || 'no message'}`;
      ops.lost = s.lost ?? 'destroyed';
    });
    return s;
  }

  get adapter(): string {
    return this.session.ctx.adapter;
  }

  /** Whether the adapter is a software rasterizer (lavapipe, llvmpipe, SwiftShader): WebGPU then
   * runs on the CPU, slower than the CPU backend. */
  get software(): boolean {
    return isSoftwareAdapter(this.adapter);
  }

  /** Dispatches, submissions and transfers since the backend was made (run.json's `transfers`). */
  get stats(): OpStats {
    const now = this.session.ops.stats;
    return Object.fromEntries(Object.entries(this.earlier).map(([k, v]) => [k, v + now[k as keyof OpStats]])) as unknown as OpStats;
  }

  /** The ops of the current session (tests and benchmarks). */
  get ops(): GpuOps {
    return this.session.ops;
  }

  tucker(x: Tensor, opts: TuckerOptions) {
    return this.run('Tucker', (s) => tuckerWith(gpuDenseOps(s.ops), x, opts));
  }

  truncatedSvd(x: Tensor, opts: SvdOptions) {
    return this.run('SVD', (s) => truncatedSvdWith(gpuDenseOps(s.ops), x, opts));
  }

  tt(x: Tensor, opts: TtOptions) {
    return this.run('TT-SVD', (s) => ttWith(gpuDenseOps(s.ops), x, opts));
  }

  cp(x: Tensor, opts: CpOptions) {
    return this.run('CP-ALS', (s) => cpWith(gpuDenseOps(s.ops, s.mttkrp), x, opts));
  }

  dct(x: Tensor, opts: DctOptions) {
    return this.run('DCT', (s) => dctGpu(s.ops, x, opts, s.dctFft));
  }

  wht(x: Tensor, opts: WhtOptions) {
    return this.run('Walsh–Hadamard transform', (s) => whtGpu(s.ops, s.fwht, x, opts));
  }

  dwt(x: Tensor, opts: DwtOptions) {
    return this.run('wavelet transform', (s) => dwtGpu(s.ops, s.dwt, x, opts));
  }

  evaluateChebyshev(e: ChebyshevValue, points: Float32Array, m: number) {
    return this.run('Chebyshev evaluation', (s) => s.chebyshev.evaluate(s.ops, e, points, m));
  }

  grassmannFlow(z: Tensor, lags: readonly number[]) {
    return this.run('Grassmann flow features', (s) => s.flow.compute(s.ops, z, lags));
  }

  /** The radiance passes on this device, each call inside the backend's error scopes. */
  radiance(): RadianceOps {
    const on = (s: Session) => new GpuRadianceOps(s.ctx, s.ops, (s.radiance ??= new RadianceKernels(s.ctx)));
    const call = <T>(fn: (g: GpuRadianceOps) => Promise<T>) => this.run('radiance-field pass', (s) => fn(on(s)));
    const where = () => `the GPU (${this.adapter})`;
    return {
      get where() {
        return where();
      },
      load: (f, train) => call((g) => g.load(f, train)),
      evaluate: (s, points) => call((g) => g.evaluate(s, points)),
      render: (s, origins, dirs, opts) => call((g) => g.render(s, origins, dirs, opts)),
      train: (s, sources, rate) => call((g) => g.train(s, sources, rate)),
      read: (s) => call((g) => g.read(s)),
      // Returns buffers to the pool and submits: nothing to scope, and synchronous, so no scope of a
      // later call interleaves with its own.
      release: (s) => on(this.session).release(s),
    };
  }

  destroy(): void {
    this.session.radiance?.destroy();
    this.session.closing = true;
    this.session.ops.lost = 'destroyed';
    this.session.ops.pool.trim();
    this.session.ctx.device.destroy();
  }

  private async run<T>(what: string, fn: (s: Session) => Promise<T>): Promise<T> {
    if (this.session.lost) {
      for (const [k, v] of Object.entries(this.session.ops.stats)) this.earlier[k as keyof OpStats] += v;
      this.session = WebGpuBackend.open(await acquireDevice(this.gpu, 'corespace (after device loss)'));
    }
    const s = this.session;
    const { device } = s.ctx;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let result: T | undefined;
    let failure: unknown = null;
    try {
      result = await fn(s);
    } catch (e) {
      failure = e;
      // A loss is reported through device.lost, which settles after the failed call: let it.
      await new Promise((r) => setTimeout(r, 10));
    }
    const [validation, oom] = s.lost ? [null, null] : [await device.popErrorScope(), await device.popErrorScope()];
    if (s.lost) throw new Error(`the GPU device was lost during the ${what} (${s.lost}); this node failed, and the next run gets a fresh device (or use --backend cpu)`);
    if (oom) {
      s.ops.pool.trim();
      throw new Error(`the ${what} ran out of GPU memory on ${s.ctx.adapter} (${oom.message}); use smaller ranks or tensors, or --backend cpu`);
    }
    if (validation) throw new Error(`the GPU rejected a command of the ${what} (${validation.message}); this is a bug in Corespace's WebGPU backend, please report it (--backend cpu works around it)`);
    if (failure) throw failure;
    return result as T;
  }
}
