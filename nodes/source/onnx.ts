import { z } from 'zod';
import { defineNode, readOnnx, type ExternalReader, hasExternalData, resolveExternalData, weightBytes, type ModelProto, type ModelValue } from '../../engine';

/** The folder part of a path ('' for a bare name). */
const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');

export const sourceOnnx = defineNode({
  type: 'source.onnx',
  title: 'ONNX model',
  category: 'source',
  description: 'Loads an ONNX model (.onnx): its graph, its weights (initializers and Constant nodes), opset, inputs and outputs. Weights stored as external data are read from the files beside it.',
  typeVersion: 1,
  inputs: [],
  outputs: [{ name: 'model', type: 'model', doc: 'the model, as decoded (an unedited model is written back byte for byte)' }],
  params: z.object({
    path: z.string().min(1, 'give the path of an .onnx file').describe('path of the .onnx file, relative to the graph file'),
  }),
  files: (p) => [p.path],
  async run(_inputs, p, ctx) {
    const proto = readOnnx(await ctx.files.read(p.path), p.path);
    return { model: { kind: 'model' as const, name: p.path, proto } };
  },
});

/** Reads external weight data beside the model through the graph's file access (same folder rules),
 * each data file once. */
export function externalReader(ctx: { files: { read(path: string): Promise<Uint8Array> } }, modelPath: string): ExternalReader {
  // One read of each data file per reader, however many weights it holds.
  const files = new Map<string, Promise<Uint8Array>>();
  return async (location, offset, length) => {
    const path = folderOf(modelPath) + location;
    if (!files.has(path)) files.set(path, ctx.files.read(path));
    const bytes = await files.get(path)!;
    const end = length === undefined ? bytes.length : offset + length;
    if (end > bytes.length) throw new Error(`external data '${location}' holds ${bytes.length} bytes, but a weight reads bytes ${offset}–${end}`);
    return bytes.subarray(offset, end);
  };
}

const runnable = new WeakMap<ModelProto, Promise<ModelProto>>();

/** The model as onnxruntime-web takes it (one buffer): weights stored in external files read through
 * the graph's file access and written inline, once per model. Refused above protobuf's 2 GiB. */
export function runnableModel(ctx: { files: { read(path: string): Promise<Uint8Array> } }, model: ModelValue): Promise<ModelProto> {
  if (!hasExternalData(model.proto)) return Promise.resolve(model.proto);
  let made = runnable.get(model.proto);
  if (!made) {
    const bytes = weightBytes(model.proto);
    if (bytes > 2 ** 31 - 2 ** 24) return Promise.reject(new Error(`${model.name} holds ${(bytes / 2 ** 30).toFixed(2)} GiB of weights, more than one ONNX buffer takes (2 GiB); onnxruntime-web cannot run it inline here`));
    made = resolveExternalData(model.proto, externalReader(ctx, model.name), null).then((r) => r.model);
    runnable.set(model.proto, made);
  }
  return made;
}
