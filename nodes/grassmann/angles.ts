import { z } from 'zod';
import { EPS32, Tensor, defineNode, grassmannDistance, principalAngles } from '../../engine';
import { SUBSPACE_PAIR, twoBases } from '../common/subspace';

export const grassmannAngles = defineNode({
  type: 'grassmann.angles',
  title: 'Principal angles',
  category: 'grassmann',
  description: 'The principal angles between two subspaces, each spanned by the columns of a matrix (any basis, not necessarily orthonormal), an SVD\'s U or a Tucker factor: ascending, in radians, by the sine–cosine method of Knyazev & Argentati (accurate for tiny and for right angles; as scipy.linalg.subspace_angles). A basis of lower rank than its columns counts its actual dimension.',
  typeVersion: 1,
  inputs: SUBSPACE_PAIR,
  outputs: [
    { name: 'angles', type: 'tensor', doc: '[min(dim a, dim b)] angles in radians, ascending' },
    { name: 'info', type: 'metrics', doc: 'geodesic ‖θ‖₂, chordal ‖sin θ‖₂, projection sin θ_max, dimA, dimB' },
  ],
  params: z.object({
    mode: z.number().int().min(0).default(0).describe('for a Tucker input: the mode whose factor spans the subspace'),
  }),
  run({ a, b }, p) {
    const [A, B] = twoBases(a, b, p.mode);
    // The bases come from float32 tensors: their rank is judged at float32 precision.
    const { angles, rankA, rankB } = principalAngles(A, B, EPS32);
    for (const [port, rank, cols] of [['a', rankA, A.cols], ['b', rankB, B.cols]] as const) {
      if (rank === 0) throw new Error(`input '${port}' spans nothing (all its ${cols} columns are zero); connect a basis of a non-zero subspace`);
    }
    const dims = (port: string, rank: number, cols: number) => ({ value: rank, unit: '', doc: `dimension of subspace ${port}${rank < cols ? ` (its ${cols} columns are rank deficient)` : ''}` });
    return {
      angles: new Tensor([angles.length], Float32Array.from(angles)),
      info: {
        geodesic: { value: grassmannDistance(angles, 'geodesic'), unit: 'rad', doc: 'arc length on the Grassmannian, ‖θ‖₂' },
        chordal: { value: grassmannDistance(angles, 'chordal'), unit: '', doc: '‖sin θ‖₂' },
        projection: { value: grassmannDistance(angles, 'projection'), unit: '', doc: 'sin θ_max: ‖P_a − P_b‖₂ when the dimensions agree' },
        dimA: dims('a', rankA, A.cols),
        dimB: dims('b', rankB, B.cols),
      },
    };
  },
});
