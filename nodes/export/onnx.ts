import { z } from 'zod';
import { fileNameParam, withExtension } from './common';
import { defineNode, externalBytes, hasExternalData, resolveExternalData, weightBytes, weightCount, writeOnnx, type Metrics } from '../../engine';
import { externalReader } from '../source/onnx';

/** Protobuf's limit on one message, less room for the graph itself. */
const INLINE_LIMIT = 2 ** 31 - 2 ** 24;

export const exportOnnx = defineNode({
  type: 'export.onnx',
  title: 'Save .onnx',
  category: 'export',
  description: 'Writes a model as <out>/<name>.onnx (headless runs: the output folder), ready for onnxruntime or any ONNX runtime — with its large weights in <name>.onnx.data beside it (ONNX external data) when the model kept its weights outside or would pass protobuf\'s 2 GiB; reports its params and bytes, and with the model it was made from, what was saved.',
  typeVersion: 1,
  inputs: [
    { name: 'model', type: 'model', doc: 'the model to save' },
    { name: 'reference', type: 'model', doc: 'the model it was made from (e.g. the original), to report the params and bytes saved', optional: true },
  ],
  outputs: [{ name: 'info', type: 'metrics', doc: 'params and bytes of the file; with a reference, paramsSaved, bytesSaved and their ratio' }],
  params: z.object({
    name: fileNameParam('model', '.onnx'),
    externalData: z.enum(['auto', 'always', 'never']).default('auto').describe('weights of 1 KiB or more in <name>.onnx.data: auto when the model read had external data or its weights pass 2 GiB; never: one file (weights read from external files are written inline)'),
  }),
  async run({ model, reference }, p, ctx) {
    const file = withExtension(p.name, '.onnx');
    const big = weightBytes(model.proto) > INLINE_LIMIT;
    const external = p.externalData === 'always' || (p.externalData === 'auto' && (hasExternalData(model.proto) || big));
    if (!external && big) throw new Error(`param 'externalData': ${model.name} holds ${(weightBytes(model.proto) / 2 ** 30).toFixed(2)} GiB of weights, more than one .onnx file can (2 GiB); set it to auto or always`);
    const read = externalReader(ctx, model.name);
    const out = hasExternalData(model.proto) || external ? await resolveExternalData(model.proto, read, external ? `${file}.data` : null) : { model: model.proto, data: null };
    const bytes = writeOnnx(out.model);
    await ctx.output.write(file, bytes);
    if (out.data) await ctx.output.write(`${file}.data`, out.data);
    const params = weightCount(model.proto);
    const written = bytes.length + (out.data?.length ?? 0);
    const info: Metrics = {
      params: { value: params, unit: 'values', doc: 'numbers in the model\'s weights (initializers and Constant nodes)' },
      bytes: { value: written, unit: 'B', doc: `size of ${out.data ? `${file} and ${file}.data together` : file}` },
    };
    if (reference) {
      const [refParams, refBytes] = [weightCount(reference.proto), writeOnnx(reference.proto).length + externalBytes(reference.proto)];
      info.paramsSaved = { value: refParams - params, unit: 'values', doc: `params of '${reference.name}' not in this model` };
      info.bytesSaved = { value: refBytes - written, unit: 'B', doc: `bytes of '${reference.name}' (with its external data) not in what was written` };
      info.sizeRatio = { value: refBytes === 0 ? 1 : written / refBytes, unit: '', doc: 'bytes written / the reference\'s' };
    }
    return { info };
  },
});
