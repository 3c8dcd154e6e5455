// The compute pipeline of each kernel, created once per device and cached: the bind-group layout
// (one buffer binding per entry of `bindings`, in @binding order) and the pipeline of the WGSL
// file's `main`. Every GPU object is labelled after the kernel.
import { WGSL } from './wgsl.generated';

export type KernelName = keyof typeof WGSL;

export interface Kernel {
  layout: GPUBindGroupLayout;
  pipeline: GPUComputePipeline;
}

const cache = new WeakMap<GPUDevice, Map<KernelName, Kernel>>();

export function kernel(device: GPUDevice, name: KernelName, bindings: readonly GPUBufferBindingType[]): Kernel {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const hit = perDevice.get(name);
  if (hit) return hit;
  const layout = device.createBindGroupLayout({
    label: `${name} bind group layout`,
    entries: bindings.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
  });
  const pipeline = device.createComputePipeline({
    label: `${name} pipeline`,
    layout: device.createPipelineLayout({ label: `${name} pipeline layout`, bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ label: `${name}.wgsl`, code: WGSL[name] }), entryPoint: 'main' },
  });
  const k = { layout, pipeline };
  perDevice.set(name, k);
  return k;
}

/** Binds `buffers` (whole buffers, or windows {buffer, offset, size} in bytes) to @binding 0, 1, …
 * of the kernel's layout. */
export function bindBuffers(device: GPUDevice, k: Kernel, label: string, buffers: readonly (GPUBuffer | GPUBufferBinding)[]): GPUBindGroup {
  return device.createBindGroup({ label, layout: k.layout, entries: buffers.map((b, binding) => ({ binding, resource: 'buffer' in b ? b : { buffer: b } })) });
}

const MAX_GRID = 65535;

/**
 * Records one dispatch of `groups` workgroups, laid out as a 2-D grid of at most 65535 columns
 * (one grid dimension holds no more); the kernel computes its linear index as
 * wg.y · num_workgroups.x + wg.x and skips indices past its count. Returns 1 (the dispatches made).
 */
export function dispatchGrid(encoder: GPUCommandEncoder, device: GPUDevice, k: Kernel, label: string, buffers: readonly GPUBuffer[], groups: number): number {
  const cols = Math.min(groups, MAX_GRID);
  const pass = encoder.beginComputePass({ label: `${label} pass` });
  pass.setPipeline(k.pipeline);
  pass.setBindGroup(0, bindBuffers(device, k, `${label} bind group`, buffers));
  pass.dispatchWorkgroups(cols, Math.ceil(groups / cols), 1);
  pass.end();
  return 1;
}
