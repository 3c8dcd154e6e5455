import { z } from 'zod';
import { fileNameParam, withExtension } from './common';
import { defineNode, writeSafetensors, type Metrics, type WeightsValue } from '../../engine';

/** Numbers stored in a file's tensors. */
const paramsOf = (w: WeightsValue) => w.file.entries.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0);

export const exportSafetensors = defineNode({
  type: 'export.safetensors',
  title: 'Save .safetensors',
  category: 'export',
  description: 'Writes named tensors as <out>/<name>.safetensors (headless runs: the output folder), dtypes and metadata as they are; reports their params and bytes, and with the tensors they were made from, what was saved.',
  typeVersion: 1,
  inputs: [
    { name: 'weights', type: 'weights', doc: 'the named tensors to save' },
    { name: 'reference', type: 'weights', doc: 'the tensors they were made from (e.g. the original checkpoint), to report the params and bytes saved', optional: true },
  ],
  outputs: [{ name: 'info', type: 'metrics', doc: 'params and bytes of the file; with a reference, paramsSaved and bytesSaved' }],
  params: z.object({
    name: fileNameParam('weights', '.safetensors'),
  }),
  async run({ weights, reference }, p, ctx) {
    const bytes = writeSafetensors(weights.file);
    await ctx.output.write(withExtension(p.name, '.safetensors'), bytes);
    const info: Metrics = {
      params: { value: paramsOf(weights), unit: 'values', doc: 'numbers in the file\'s tensors' },
      bytes: { value: bytes.length, unit: 'B', doc: 'size of the .safetensors file' },
    };
    if (reference) {
      info.paramsSaved = { value: paramsOf(reference) - paramsOf(weights), unit: 'values', doc: `params of '${reference.name}' not in this file` };
      info.bytesSaved = { value: writeSafetensors(reference.file).length - bytes.length, unit: 'B', doc: `bytes of '${reference.name}' as .safetensors not in this file` };
    }
    return { info };
  },
});
