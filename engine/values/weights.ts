// Named tensors as a checkpoint stores them (a .safetensors file): each with its dtype and shape,
// kept as stored so an unedited file is written back byte for byte.
import type { SafetensorsFile } from '../io/safetensors';
import type { ValueKind } from './kind';

export interface WeightsValue {
  kind: 'weights';
  /** The file it came from (messages). */
  name: string;
  file: SafetensorsFile;
}

export const weightsKind = {
  kind: 'weights',
  doc: 'named tensors of a checkpoint (a .safetensors file: PEFT adapters, Hugging Face weights), each with its dtype and shape',
  color: '#78716c',
  example: (): WeightsValue => ({ kind: 'weights', name: 'adapter.safetensors', file: { entries: [{ name: 'w', dtype: 'F32', shape: [2], bytes: new Uint8Array(8) }], metadata: {} } }),
  summary: (w) => ({
    parameters: w.file.entries.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1), 0),
    about: `${w.name}: ${w.file.entries.length} tensor${w.file.entries.length === 1 ? '' : 's'}${[...new Set(w.file.entries.map((e) => e.dtype))].map((d) => ` ${d}`).join(',')}`,
  }),
  tensors: () => [],
  preview: async () => null,
  noPreview: 'a checkpoint has no picture of its own: model.weight takes one tensor out by name',
} satisfies ValueKind<'weights', WeightsValue>;
