// Small node types for engine tests: they count their runs and can fail or iterate on demand.
import { z } from 'zod';
import { Tensor, defineNode, type AnyNodeDefinition, type Registry } from '../engine';

export const runs: Record<string, number> = {};
const count = (id: string) => (runs[id] = (runs[id] ?? 0) + 1);

const constant = defineNode({
  type: 'test.constant',
  title: 'Constant',
  category: 'test',
  description: 'a 1-D tensor filled with `value`',
  typeVersion: 2,
  // v1 called the param `v`.
  migrate: (p, from) => (from < 2 && 'v' in p ? { value: p.v, ...Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'v')) } : p),
  inputs: [],
  outputs: [{ name: 'out', type: 'tensor', doc: 'the tensor' }],
  params: z.object({
    value: z.number().min(-100).max(100).default(1).describe('fill value'),
    length: z.number().int().min(1).max(1000).default(4).describe('length'),
  }),
  run(_i, p, ctx) {
    count(ctx.nodeId);
    return { out: Tensor.fill([p.length], p.value) };
  },
});

const addNode = defineNode({
  type: 'test.add',
  title: 'Add',
  category: 'test',
  description: 'a + b (b optional)',
  typeVersion: 1,
  inputs: [
    { name: 'a', type: 'tensor', doc: 'first' },
    { name: 'b', type: 'tensor', doc: 'second', optional: true },
  ],
  outputs: [{ name: 'out', type: 'tensor', doc: 'sum' }],
  params: z.object({ fail: z.boolean().default(false).describe('throw instead of adding') }),
  run({ a, b }, p, ctx) {
    count(ctx.nodeId);
    if (p.fail) throw new Error(`input 'a' was rejected on purpose`);
    return { out: b ? new Tensor(a.shape, a.data.map((v, i) => v + b.data[i]!)) : a };
  },
});

const noise = defineNode({
  type: 'test.noise',
  title: 'Noise',
  category: 'test',
  description: 'uniform noise from the node random source',
  typeVersion: 1,
  inputs: [],
  outputs: [{ name: 'out', type: 'tensor', doc: 'noise' }],
  params: z.object({ seed: z.number().int().min(0).default(0).describe('seed') }),
  run(_i, _p, ctx) {
    count(ctx.nodeId);
    const t = new Tensor([64]);
    ctx.random.fillUniform(t.data);
    return { out: t };
  },
});

export const iterations: Record<string, number> = {};
const iterate = defineNode({
  type: 'test.iterate',
  title: 'Iterate',
  category: 'test',
  description: 'runs `steps` iterations, reporting progress each',
  typeVersion: 1,
  inputs: [{ name: 'a', type: 'tensor', doc: 'input' }],
  outputs: [{ name: 'out', type: 'tensor', doc: 'input, unchanged' }, { name: 'stats', type: 'metrics', doc: 'iterations' }],
  params: z.object({ steps: z.number().int().min(1).default(10).describe('iterations') }),
  async run({ a }, p, ctx) {
    count(ctx.nodeId);
    for (let i = 0; i < p.steps; i++) {
      ctx.progress(i, p.steps, `iter ${i}`);
      iterations[ctx.nodeId] = i + 1;
      await new Promise((r) => setTimeout(r, 1));
    }
    return { out: a, stats: { iterations: { value: p.steps, unit: '' } } };
  },
});

export const testRegistry: Registry = {
  nodes: [constant, addNode, noise, iterate] as unknown as AnyNodeDefinition[],
  renames: { 'test.const': 'test.constant', 'old.add': 'test.add' },
};
