// The backend interface the nodes run their heavy methods through. The CPU backend is the living
// definition of every method; the WebGPU backend (engine/webgpu/backend.ts) must match it in the
// parity tests, and hands a method it has no kernels for to the CPU. Methods are async because a
// GPU's results arrive asynchronously; the CPU's resolve at once. A tensor given to a backend may be
// deferred (its values still on a device): the CPU reads it back first.
import {
  cp, truncatedSvd, tt, tucker,
  type CpOptions, type CpResult, type SvdOptions, type SvdResult, type TtOptions, type TtResult, type TuckerOptions, type TuckerResult,
} from './decomp';
import { evaluateChebyshev } from './chebyshev';
import { grassmannFlowFeatures } from './geometry/flow';
import { cpuRadianceOps, type RadianceOps } from './radiance/ops';
import type { Tensor } from './tensor';
import type { ChebyshevValue } from './values';
import { dct, dwt, wht, type DwtOptions, type WhtOrder } from './transforms';

export type BackendName = 'cpu' | 'webgpu';

export interface DctOptions {
  axes?: readonly number[];
  inverse?: boolean;
}

export interface WhtOptions extends DctOptions {
  order?: WhtOrder;
}

export interface Backend {
  readonly name: BackendName;
  /** Human-readable device description, recorded in run.json. */
  readonly adapter: string;
  tucker(x: Tensor, opts: TuckerOptions): Promise<TuckerResult>;
  truncatedSvd(x: Tensor, opts: SvdOptions): Promise<SvdResult>;
  tt(x: Tensor, opts: TtOptions): Promise<TtResult>;
  cp(x: Tensor, opts: CpOptions): Promise<CpResult>;
  dct(x: Tensor, opts: DctOptions): Promise<Tensor>;
  wht(x: Tensor, opts: WhtOptions): Promise<Tensor>;
  dwt(x: Tensor, opts: DwtOptions): Promise<Tensor>;
  /** The expansion at m points (m × d, row-major). */
  evaluateChebyshev(e: ChebyshevValue, points: Float32Array, m: number): Promise<Float32Array>;
  /** The Grassmann-flow features of a sequence z [T, r] (engine/geometry/flow.ts), [T, r(r−1)/2];
   * `progress` is called between steps (it may throw to cancel). */
  grassmannFlow(z: Tensor, lags: readonly number[], progress?: (t: number, steps: number) => void): Promise<Tensor>;
  /** The passes radiance-field distillation and rendering run (engine/radiance/ops.ts). */
  radiance(): RadianceOps;
}

export const cpuBackend: Backend = {
  name: 'cpu',
  adapter: 'CPU (JavaScript and WebAssembly SIMD, float32 storage, float64 accumulation)',
  tucker: (x, opts) => tucker(x, opts),
  truncatedSvd: (x, opts) => truncatedSvd(x, opts),
  tt: (x, opts) => tt(x, opts),
  cp: (x, opts) => cp(x, opts),
  dct: (x, opts) => dct(x, opts),
  wht: (x, opts) => wht(x, opts),
  dwt: (x, opts) => dwt(x, opts),
  evaluateChebyshev: async (e, points, m) => Float32Array.from(evaluateChebyshev(e, Float64Array.from(points), m)),
  grassmannFlow: async (z, lags, progress) => {
    await z.materialize();
    return grassmannFlowFeatures(z, lags, progress);
  },
  radiance: () => cpuRadianceOps,
};
