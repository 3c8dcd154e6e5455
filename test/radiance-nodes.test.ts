// source.radiance and radiance.sample: a procedural scene comes out as a dense grid that samples back
// to itself; a grid tensor goes in and out unchanged; the wrong wiring or a bad grid is refused by name.
import { describe, expect, it } from 'vitest';
import { RandomSource, Tensor, cpuBackend, type AnyNodeDefinition, type Metrics, type RadianceField, type RunContext } from '../engine';
import { registry } from '../nodes';

const node = (type: string) => registry.nodes.find((n) => n.type === type)! as AnyNodeDefinition;
const ctx = { nodeId: 'n', progress: () => {}, backend: cpuBackend, random: new RandomSource(0) } as unknown as RunContext;
const call = async (type: string, inputs: object, params: object) => (await node(type).run(inputs as never, node(type).params.parse(params), ctx)) as Record<string, unknown>;

describe('radiance nodes', () => {
  it('a procedural scene is a dense grid of its resolution that samples back to itself', async () => {
    const out = await call('source.radiance', {}, { scene: 'sdf', resolution: 24, seed: 3 });
    const field = out.field as RadianceField;
    expect([field.arch, field.resolution, (out.info as Metrics).params!.value]).toEqual(['dense', 24, 4 * 24 ** 3]);
    const { tensor } = (await call('radiance.sample', { field }, { resolution: 24 })) as { tensor: Tensor };
    expect(tensor.shape).toEqual([24, 24, 24, 4]);
    expect(Array.from(tensor.data)).toEqual(Array.from(field.params.grid!.data));
    // At twice the resolution, every other node is an original one.
    const fine = ((await call('radiance.sample', { field }, { resolution: 47 })) as { tensor: Tensor }).tensor;
    expect(fine.data[((2 * 5 * 47 + 2 * 7) * 47 + 2 * 9) * 4]).toBeCloseTo(field.params.grid!.data[((5 * 24 + 7) * 24 + 9) * 4]!, 5);
  });

  it('a grid tensor in is the field, and the wiring and the grid are checked by name', async () => {
    const grid = new Tensor([3, 3, 3, 4]);
    for (let i = 0; i < 27; i++) grid.data.set([i / 10, 0.1, 0.5, 0.9], 4 * i);
    const { field } = (await call('source.radiance', { grid }, { scene: 'grid' })) as { field: RadianceField };
    expect(field.params.grid).toBe(grid);
    await expect(call('source.radiance', {}, { scene: 'grid' })).rejects.toThrow("param 'scene' is grid: wire a tensor [N, N, N, 4] (σ, R, G, B) into input 'grid'");
    await expect(call('source.radiance', { grid }, { scene: 'box' })).rejects.toThrow("input 'grid' is wired but param 'scene' is box: set scene to grid");
    await expect(call('source.radiance', { grid: new Tensor([3, 3, 3]) }, { scene: 'grid' })).rejects.toThrow("input 'grid' is [3×3×3]; a radiance grid is [N, N, N, 4]");
    expect(node('source.radiance').params.safeParse({ resolution: 1000 }).success).toBe(false);
  });
});

describe('view.radiance', () => {
  it('draws teacher | student | difference per orbit view with the engine renderer, and a PNG headless', async () => {
    const { renderView } = await import('../viewer/headless');
    const shown: { kind: string; width: number; height: number; rgb: Uint8Array; note?: string }[] = [];
    const viewCtx = { ...ctx, views: { show: async (_: string, v: never) => (shown.push(v), {}) } } as unknown as RunContext;
    const field = ((await call('source.radiance', {}, { scene: 'spheres', resolution: 16, seed: 1 })) as { field: RadianceField }).field;
    await node('view.radiance').run({ teacher: field, student: field } as never, node('view.radiance').params.parse({ views: 2, size: 24, samples: 32 }), viewCtx);
    const v = shown[0]!;
    expect([v.kind, v.width, v.height, v.rgb.length]).toEqual(['radiance', 72, 48, 72 * 48 * 3]);
    expect(v.note).toBe('PSNR per view (top to bottom): ∞ (identical), ∞ (identical)');
    // The same field twice: the difference column is black, the others are not blank.
    const column = (c: number) => Array.from({ length: 48 * 24 * 3 }, (_, i) => v.rgb[((Math.floor(i / 72) * 72) + c * 24 + Math.floor((i % 72) / 3)) * 3 + (i % 3)]!);
    expect(Math.max(...column(2))).toBe(0);
    expect(new Set(column(0)).size).toBeGreaterThan(20);
    const png = await renderView(v as never);
    expect('png' in png && Array.from(png.png.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});
