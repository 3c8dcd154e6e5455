// Which backend a run gets, decided one way for the CLI and the editor's worker. cpu: the CPU.
// webgpu: a device on whatever adapter there is, or the error saying what is missing. auto: a
// device on a hardware adapter; else the CPU, with the reason (no WebGPU at all, only a software
// adapter — lavapipe, SwiftShader: WebGPU on the CPU, slower than the CPU backend — or a failure),
// which each surface words for itself.
import { cpuBackend, type Backend } from '../backend';
import { WebGpuBackend } from './backend';
import { SoftwareAdapterError, WebGpuUnavailableError, describeAdapter, type AdapterFacts } from './runtime/device';

export type BackendPreference = 'auto' | 'cpu' | 'webgpu';

export interface BackendChoice {
  backend: Backend;
  /** Why auto fell back to the CPU. */
  fallback?: { reason: 'no-webgpu' | 'software' | 'unavailable'; message: string };
}

export interface ChooseOptions {
  /** The WebGPU entry point (navigator.gpu, Dawn's provider), or undefined where there is none. */
  gpu: () => Promise<GPU | undefined>;
  /** The device's label. */
  label: string;
  /**
   * auto only: what the adapter is, asked before the entry point is loaded (the CLI asks a child
   * process, so Dawn's chatter about a software adapter never reaches the terminal); null when
   * there is no adapter.
   */
  probe?: () => Promise<{ facts: AdapterFacts | null } | { failed: string }>;
}

/** The backend for `prefer`; with 'webgpu', throws the reason a device could not be had. */
export async function chooseBackend(prefer: BackendPreference, opts: ChooseOptions): Promise<BackendChoice> {
  if (prefer === 'cpu') return { backend: cpuBackend };
  const fallback = (reason: NonNullable<BackendChoice['fallback']>['reason'], message: string): BackendChoice => ({ backend: cpuBackend, fallback: { reason, message } });
  if (prefer === 'auto' && opts.probe) {
    const probe = await opts.probe();
    if ('failed' in probe) return fallback('unavailable', probe.failed);
    if (!probe.facts) return fallback('unavailable', new WebGpuUnavailableError('no adapter found (no GPU, and no software Vulkan driver)').message);
    const adapter = describeAdapter(probe.facts);
    if (adapter.software) return fallback('software', new SoftwareAdapterError(adapter.name).message);
  }
  const gpu = await opts.gpu();
  if (!gpu) {
    if (prefer === 'webgpu') throw new WebGpuUnavailableError('this environment has no WebGPU');
    return fallback('no-webgpu', 'no WebGPU here');
  }
  try {
    // auto asks for hardware only: a software adapter is turned down before a device is made.
    return { backend: await WebGpuBackend.create(gpu, opts.label, { hardwareOnly: prefer === 'auto' }) };
  } catch (e) {
    if (prefer === 'webgpu') throw e;
    return e instanceof SoftwareAdapterError ? fallback('software', e.message) : fallback('unavailable', (e as Error).message);
  }
}
