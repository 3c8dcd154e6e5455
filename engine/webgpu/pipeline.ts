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

/** Binds `buffers` to @binding 0, 1, … of the kernel's layout. */
export function bindBuffers(device: GPUDevice, k: Kernel, label: string, buffers: readonly GPUBuffer[]): GPUBindGroup {
  return device.createBindGroup({ label, layout: k.layout, entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
}
