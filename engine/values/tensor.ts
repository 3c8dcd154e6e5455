// A dense N-D float32 tensor (engine/tensor): the kind most ports carry.
import { Tensor } from '../tensor';
import type { ValueKind } from './kind';
import { tensorPreview } from './preview';

export const tensorKind = {
  kind: 'tensor',
  doc: 'a dense N-D float32 tensor (C order), on the host or still on a device',
  color: '#3b82f6',
  example: () => Tensor.from([2, 3], [1, 2, 3, 4, 5, 6]),
  // The Frobenius norm in float64; a deferred tensor's from its device, without a readback.
  summary: async (t) => ({ shape: [...t.shape], norm: Math.sqrt(await t.sumSquares()) }),
  tensors: (t) => [t],
  preview: (t, port) => tensorPreview(t, port),
  sizes: (t) => ({ params: t.size, dense: t.size }),
} satisfies ValueKind<'tensor', Tensor>;
