// The compute pipeline of each kernel, created once per device and cached: the bind-group layout
// (one buffer binding per entry of `bindings`, in @binding order) and the pipeline of the WGSL
// file's `main` with its `override` constants (workgroup and tile sizes) set from the binder, the
// one place those sizes are written. Every GPU object is labelled after the kernel.
import { WGSL } from '../wgsl.generated';

export type KernelName = keyof typeof WGSL;

export interface Kernel {
  layout: GPUBindGroupLayout;
  pipeline: GPUComputePipeline;
}

const cache = new WeakMap<GPUDevice, Map<string, Kernel>>();

export function kernel(device: GPUDevice, name: KernelName, bindings: readonly GPUBufferBindingType[], constants: Readonly<Record<string, number>> = {}): Kernel {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const key = `${name} ${JSON.stringify(constants)}`;
  const hit = perDevice.get(key);
  if (hit) return hit;
  const layout = device.createBindGroupLayout({
    label: `${name} bind group layout`,
    entries: bindings.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
  });
  const pipeline = device.createComputePipeline({
    label: `${name} pipeline`,
    layout: device.createPipelineLayout({ label: `${name} pipeline layout`, bindGroupLayouts: [layout] }),
    compute: { module: device.createShaderModule({ label: `${name}.wgsl`, code: WGSL[name] }), entryPoint: 'main', constants: { ...constants } },
  });
  const k = { layout, pipeline };
  perDevice.set(key, k);
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
export function dispatchGrid(encoder: GPUCommandEncoder, device: GPUDevice, k: Kernel, label: string, buffers: readonly (GPUBuffer | GPUBufferBinding)[], groups: number): number {
  const cols = Math.min(groups, MAX_GRID);
  const pass = encoder.beginComputePass({ label: `${label} pass` });
  pass.setPipeline(k.pipeline);
  pass.setBindGroup(0, bindBuffers(device, k, `${label} bind group`, buffers));
  pass.dispatchWorkgroups(cols, Math.ceil(groups / cols), 1);
  pass.end();
  return 1;
}

/** A run of whole lines (rows of `lineElems` float32s) bound as one window. */
export interface LineWindow {
  first: number;
  count: number;
  binding: (buffer: GPUBuffer) => GPUBufferBinding;
}

/**
 * Splits `lines` contiguous lines into windows that each fit `limitBytes` and start on a 256-byte
 * boundary (a multiple of 64 / gcd(lineElems, 64) lines), for kernels that address whole lines from
 * the start of their binding. One window when everything fits; none when one aligned run of lines
 * does not fit (the caller reports it).
 */
export function lineWindows(lines: number, lineElems: number, limitBytes: number): LineWindow[] {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const align = 64 / gcd(lineElems, 64);
  const most = lines * lineElems * 4 <= limitBytes ? lines : Math.floor(limitBytes / (4 * lineElems) / align) * align;
  if (most === 0) return [];
  const out: LineWindow[] = [];
  for (let first = 0; first < lines; first += most) {
    const count = Math.min(most, lines - first);
    out.push({ first, count, binding: (buffer) => ({ buffer, offset: 4 * first * lineElems, size: Math.max(4, 4 * count * lineElems) }) });
  }
  return out;
}

/** The binding of `span` elements from element `start` of a buffer: bindings start at a 256-byte
 * boundary, the rest is an element offset (`skip`). */
export function windowAt(buffer: GPUBuffer, start: number, span: number): { binding: GPUBufferBinding; skip: number } {
  const offset = Math.floor((4 * start) / 256) * 256;
  const skip = start - offset / 4;
  return { binding: { buffer, offset, size: 4 * (skip + span) }, skip };
}
