// The GPU Philox stream equals the host's RandomSource word for word (the same seed gives the same
// random test matrices on every backend), including the Random123 known answer and 64-bit seeds.
import { describe, expect, it } from 'vitest';
import { RandomSource } from '../../engine';
import type { GpuContext } from '../../engine/webgpu/runtime/device';
import { PhiloxKernel } from './philox-kernel';
import { gpuAvailable, withGpu } from './gpu';

let gpu: GpuContext;
let kernel: PhiloxKernel;
withGpu((g) => {
  gpu = g;
  kernel = new PhiloxKernel(gpu);
});

const host = (seed: number | bigint, stream: number, words: number, skipBlocks = 0) => {
  const r = new RandomSource(seed, stream);
  for (let i = 0; i < 4 * skipBlocks; i++) r.nextUint32();
  return Array.from({ length: words }, () => r.nextUint32());
};

describe.skipIf(!gpuAvailable)('WebGPU Philox4x32-10', () => {
  it('block 0 of seed 0, stream 0 is the Random123 all-zero known answer', async () => {
    expect([...(await kernel.words(0, 0, 1))]).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  });

  it.each([
    [7, 0, 1000],
    [2n ** 40n + 3n, 5, 333],
    [0xffffffff, 0xffffffff, 65],
  ])('seed %s stream %s: %i blocks equal the host stream', async (seed, stream, blocks) => {
    expect([...(await kernel.words(seed, stream, blocks))]).toEqual(host(seed, stream, 4 * blocks));
  });

  it('starts at any block', async () => {
    expect([...(await kernel.words(11, 2, 10, 1234))]).toEqual(host(11, 2, 40, 1234));
  });
});
