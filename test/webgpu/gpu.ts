// One Dawn device per test file (Dawn and worker threads don't mix; vitest runs files in forks).
// Whether this machine has an adapter is decided once per file, before its tests are collected (the
// top-level await below), so that the files put their suites under `describe.skipIf(!gpuAvailable)`:
// outside CI a machine without an adapter reports the GPU tests as skipped, with a notice; in CI that
// is a failure, because CI installs the software Vulkan driver (scripts/setup-system.sh).
import { afterAll, beforeAll } from 'vitest';
import { create, globals } from 'webgpu';
import { RandomSource, Tensor } from '../../engine';
import { acquireDevice, WebGpuUnavailableError, type GpuContext } from '../../engine/webgpu/runtime/device';

export { refExpected, refInput, refNpy } from '../refs/refs';

Object.assign(globalThis, globals);

/** Dawn, if it offers an adapter (asked as acquireDevice asks; no device is created here). The one
 * instance is kept for withGpu: Dawn tears an instance down when it is garbage-collected. */
async function probe(): Promise<GPU | null> {
  let why: Error;
  try {
    const provider = create([]);
    if (await provider.requestAdapter({ powerPreference: 'high-performance' })) return provider;
    why = new WebGpuUnavailableError('no adapter found (no GPU, and no software Vulkan driver)');
  } catch (e) {
    why = e as Error;
  }
  if (process.env.CI) throw why;
  console.warn(`WebGPU tests skipped here: ${why.message}`);
  return null;
}

const provider = await probe();

/** Whether this machine has a WebGPU adapter (in CI always true: without one this module throws). */
export const gpuAvailable = provider !== null;

/** One device for the test file: acquired before its tests (then `setup` runs), destroyed after. A
 * file whose suites are all skipped (no adapter) runs no hooks, so nothing is acquired then. */
export function withGpu(setup: (gpu: GpuContext) => void): void {
  let gpu: GpuContext | undefined;
  beforeAll(async () => {
    gpu = await acquireDevice(provider ?? undefined, 'corespace tests');
    setup(gpu);
  });
  afterAll(() => gpu?.device.destroy());
}

/** An i.i.d. N(0, 1) tensor of the given shape. */
export function gaussian(shape: number[], seed: number): Tensor {
  const t = new Tensor(shape);
  new RandomSource(seed).fillNormal(t.data);
  return t;
}

/** max |a − b| / max |b| (max |a − b| when b is all zeros); the shapes must agree. */
export function relMax(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: ${a.shape} and ${b.shape}`);
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.size; i++) {
    d = Math.max(d, Math.abs(a.data[i]! - b.data[i]!));
    s = Math.max(s, Math.abs(b.data[i]!));
  }
  return s === 0 ? d : d / s;
}
