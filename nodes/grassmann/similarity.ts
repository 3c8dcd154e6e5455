import { z } from 'zod';
import { EPS32, Tensor, defineNode, orthonormalBasis, subspaceSimilarity } from '../../engine';
import { SUBSPACE_PAIR, twoBases } from '../common/subspace';

export const grassmannSimilarity = defineNode({
  type: 'grassmann.similarity',
  title: 'Subspace similarity',
  category: 'grassmann',
  description: 'LoRA\'s normalised subspace similarity (Hu et al. 2021, §7): φ(i, j) = ‖U_a[:, :i]ᵀ U_b[:, :j]‖²_F / min(i, j), U the left singular vectors of each input — 1 where the top-i directions of one lie in the top-j of the other, 0 where they are orthogonal. Show it with view.heatmap.',
  typeVersion: 1,
  inputs: SUBSPACE_PAIR,
  outputs: [{ name: 'tensor', type: 'tensor', doc: '[r, r]: row i − 1 compares the top i directions of a, column j − 1 the top j of b' }],
  params: z.object({
    r: z.number().int().min(1).max(4096).default(8).describe('how many leading directions of each to compare'),
    mode: z.number().int().min(0).default(0).describe('for a Tucker input: the mode whose factor is used'),
  }),
  run({ a, b }, p) {
    const [A, B] = twoBases(a, b, p.mode);
    const most = Math.min(A.rows, A.cols, B.cols);
    if (p.r > most) throw new Error(`param 'r' is ${p.r}, but the inputs have only ${most} singular directions to compare (a: ${A.rows} × ${A.cols}, b: ${B.rows} × ${B.cols}); use r ≤ ${most}`);
    // Directions past a basis's rank are arbitrary (their singular values are 0): refuse them.
    for (const [port, m] of [['a', A], ['b', B]] as const) {
      const { rank } = orthonormalBasis(m, EPS32);
      if (rank < p.r) throw new Error(`input '${port}' spans a subspace of dimension ${rank} (its ${m.cols} columns are rank deficient), so it has no ${p.r} leading directions; use r ≤ ${rank}`);
    }
    const phi = subspaceSimilarity(A, B, p.r);
    return { tensor: new Tensor([p.r, p.r], Float32Array.from(phi.data)) };
  },
});
