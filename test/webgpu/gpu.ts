// One Dawn device per test file (Dawn and worker threads don't mix; vitest runs files in forks).
// Outside CI a machine without an adapter skips the GPU tests with a notice; in CI that is a
// failure, because CI installs the software Vulkan driver (scripts/setup-system.sh).
import { create, globals } from 'webgpu';
import { RandomSource, Tensor } from '../../engine';
import { acquireDevice, type GpuContext } from '../../engine/webgpu/device';

Object.assign(globalThis, globals);

export async function gpuOrNull(): Promise<GpuContext | null> {
  try {
    return await acquireDevice(create([]), 'corespace tests');
  } catch (e) {
    if (process.env.CI) throw e;
    console.warn(`WebGPU tests not run here: ${(e as Error).message}`);
    return null;
  }
}

/** An i.i.d. N(0, 1) tensor of the given shape. */
export function gaussian(shape: number[], seed: number): Tensor {
  const t = new Tensor(shape);
  new RandomSource(seed).fillNormal(t.data);
  return t;
}
