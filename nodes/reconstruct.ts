import { z } from 'zod';
import { DECOMPOSITIONS, defineNode, reconstruct } from '../engine';

export const tensorReconstruct = defineNode({
  type: 'reconstruct',
  title: 'Reconstruct',
  category: 'tensor',
  description: 'The dense tensor a decomposition stands for (SVD: U·diag(S)·Vᵀ; Tucker: G ×ₙ Uₙ; CP: Σ wᵣ ∘ aᵣ; TT: the contracted train).',
  typeVersion: 1,
  inputs: [{ name: 'decomposition', type: DECOMPOSITIONS, doc: 'any decomposition' }],
  outputs: [{ name: 'tensor', type: 'tensor', doc: 'the reconstruction, float32' }],
  params: z.object({}),
  run({ decomposition }) {
    return { tensor: reconstruct(decomposition) };
  },
});
