import { z } from 'zod';
import { defineNode, slice } from '../../engine';

const range = z
  .object({
    start: z.number().int().optional().describe('first index (negative: from the end)'),
    stop: z.number().int().optional().describe('stop before this index'),
    step: z.number().int().optional().describe('stride (negative reverses)'),
  })
  .strict();

export const tensorSlice = defineNode({
  type: 'tensor.slice',
  title: 'Slice',
  category: 'tensor',
  description: 'x[start:stop:step, …] per axis with numpy rules; null or a missing entry takes the whole axis.',
  typeVersion: 1,
  inputs: [{ name: 'tensor', type: 'tensor', doc: 'input' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the selected part' }],
  params: z.object({
    ranges: z.array(range.nullable()).default([]).describe('one {start, stop, step} per axis, e.g. [{"start": 0, "stop": 8}, null]'),
  }),
  run({ tensor }, p) {
    return { tensor: slice(tensor, p.ranges) };
  },
});
