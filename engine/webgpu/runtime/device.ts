// Acquiring a GPUDevice from whatever provides WebGPU: navigator.gpu in a browser or worker, or
// the `webgpu` package (Dawn) that the headless runner passes in. The engine imports no provider
// itself, so this file runs unchanged in both.

export class WebGpuUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `WebGPU is not available: ${reason}. Headless on Debian, the Vulkan driver comes from mesa-vulkan-drivers ≥ 24 in bookworm-backports (scripts/setup-system.sh installs it); or use --backend cpu`,
    );
    this.name = 'WebGpuUnavailableError';
  }
}

export interface GpuContext {
  device: GPUDevice;
  /** The provider and adapter stay referenced for the device's lifetime: Dawn's Node binding tears
   * its instance down when they are garbage-collected, and the next submit then crashes the process
   * ("The futex facility returned an unexpected error code"). */
  keepAlive: readonly unknown[];
  /** Adapter description for run.json and the status bar, e.g. "llvmpipe: Mesa 25.0.7". */
  adapter: string;
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number; maxComputeWorkgroupStorageSize: number; maxComputeInvocationsPerWorkgroup: number };
  /** Optional features the device was created with: timestamp queries (kernel timing in benches)
   * and subgroup operations with WGSL's subgroup_id (reductions). */
  features: { timestamps: boolean; subgroups: boolean };
}

/** The only adapter is a software rasterizer (lavapipe, llvmpipe, SwiftShader), refused when asked
 * for hardware only: WebGPU would run on the CPU, slower than the CPU backend. */
export class SoftwareAdapterError extends Error {
  constructor(readonly adapter: string) {
    super(`the only WebGPU adapter, ${adapter}, is a software renderer`);
    this.name = 'SoftwareAdapterError';
  }
}

export const isSoftwareAdapter = (name: string): boolean => /llvmpipe|lavapipe|swiftshader|software/i.test(name);

/** The parts of GPUAdapterInfo that name an adapter (plain data: the CLI's adapter probe sends them
 * from another process). */
export interface AdapterFacts {
  description?: string;
  device?: string;
  vendor?: string;
  architecture?: string;
  isFallbackAdapter?: boolean;
}

/** The adapter's name for run.json and the status bar ("llvmpipe: Mesa 25.0.7 software"), and
 * whether it is a software rasterizer. */
export function describeAdapter(info: AdapterFacts | undefined): { name: string; software: boolean } {
  const name = [info?.description || info?.device || info?.vendor || 'unknown adapter', info?.architecture].filter(Boolean).join(' ');
  return { name, software: Boolean(info?.isFallbackAdapter) || isSoftwareAdapter(name) };
}

/** A device on the adapter of `gpu`; with `hardwareOnly`, a software adapter is refused before any
 * device is created (SoftwareAdapterError). */
export async function acquireDevice(gpu: GPU | undefined, label = 'corespace', opts: { hardwareOnly?: boolean } = {}): Promise<GpuContext> {
  if (!gpu) throw new WebGpuUnavailableError('no WebGPU implementation in this environment');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError('no adapter found (no GPU, and no software Vulkan driver)');
  const { name: adapterName, software } = describeAdapter(adapter.info);
  if (opts.hardwareOnly && software) throw new SoftwareAdapterError(adapterName);
  const l = adapter.limits;
  const wanted: GPUFeatureName[] = ['timestamp-query', 'subgroups'];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f));
  // Ask for the adapter's own limits: the defaults (128 MiB bindings) are often below them.
  const device = await adapter.requestDevice({
    label,
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  return {
    device,
    keepAlive: [gpu, adapter],
    adapter: adapterName,
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
    },
    // Subgroup reductions also need WGSL's subgroup_id (which subgroup an invocation is in).
    features: { timestamps: device.features.has('timestamp-query'), subgroups: device.features.has('subgroups') && !!gpu.wgslLanguageFeatures?.has('subgroup_id') },
  };
}
