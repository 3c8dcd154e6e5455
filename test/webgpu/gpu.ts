// One Dawn device per test file (Dawn and worker threads don't mix; vitest runs files in forks).
// Outside CI a machine without an adapter skips the GPU tests with a notice; in CI that is a
// failure, because CI installs the software Vulkan driver (scripts/setup-system.sh).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { create, globals } from 'webgpu';
import { RandomSource, Tensor, readNpy } from '../../engine';
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

/** One device for the test file: acquired before its tests (then `setup` runs), destroyed after. */
export function withGpu(setup: (gpu: GpuContext) => void): void {
  let gpu: GpuContext | null = null;
  beforeAll(async () => {
    gpu = await gpuOrNull();
    if (gpu) setup(gpu);
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

const refs = new URL('../../../shared/refs/cases/', import.meta.url);

/** A .npy of a reference case in shared/refs (e.g. refNpy('dct_2d_13x22', 'input.npy')). */
export const refNpy = (c: string, f: string): Tensor => readNpy(new Uint8Array(readFileSync(new URL(`${c}/${f}`, refs))), `${c}/${f}`);
/** A reference case's input tensor. */
export const refInput = (c: string): Tensor => refNpy(c, 'input.npy');
/** A reference case's expected.json. */
export const refExpected = (c: string): any => JSON.parse(readFileSync(new URL(`${c}/expected.json`, refs), 'utf8'));
