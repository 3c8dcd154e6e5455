// A tensor train (Oseledets 2011).
import { ttReconstruct } from '../decomp/tt';
import { Tensor, sizeOf } from '../tensor';
import { countOf, type ValueKind } from './kind';
import { sparkline } from './preview';

/** Tensor train: cores Gₖ of shape rₖ×Iₖ×rₖ₊₁ with r₀ = r_d = 1 (Oseledets 2011). */
export interface TtValue {
  kind: 'tt';
  cores: Tensor[];
}

/** The bond dimensions r₀ = 1, r₁, …, r_d = 1. */
const ranksOf = (cores: readonly Tensor[]): number[] => [...cores.map((c) => c.shape[0]!), 1];

export const ttKind = {
  kind: 'tt',
  doc: 'a tensor train: cores Gₖ of shape rₖ×Iₖ×rₖ₊₁ with r₀ = r_d = 1',
  color: '#84cc16',
  example: (): TtValue => ({ kind: 'tt', cores: [Tensor.from([1, 2, 2], [1, 0, 0, 1]), Tensor.from([2, 3, 1], [1, 2, 3, 4, 5, 6])] }),
  summary: (t) => ({ shape: t.cores.map((c) => c.shape[1]!), ranks: ranksOf(t.cores), parameters: countOf(t.cores) }),
  tensors: (t) => t.cores,
  // The ranks along the train: where it is thick, the tensor's correlations are.
  preview: async (t, port) => sparkline(ranksOf(t.cores), `${port} ranks`),
  sizes: (t) => ({ params: countOf(t.cores), dense: sizeOf(t.cores.map((c) => c.shape[1]!)) }),
  // The first core is I₀ × r₁ (the span of mode 0), the last r_{d−1} × I_{d−1} (transposed: mode d − 1).
  subspace: ({ cores }, mode) => {
    const d = cores.length;
    if (mode === 0) return cores[0]!.reshaped([cores[0]!.shape[1]!, cores[0]!.shape[2]!]);
    if (mode === d - 1) {
      const [r, n] = [cores[d - 1]!.shape[0]!, cores[d - 1]!.shape[1]!];
      const t = new Tensor([n, r]);
      for (let i = 0; i < n; i++) for (let a = 0; a < r; a++) t.data[i * r + a] = cores[d - 1]!.data[a * n + i]!;
      return t;
    }
    return `a tensor train spans a subspace of its first and last modes (0 and ${d - 1}) only, not mode ${mode}`;
  },
  reconstruct: ({ cores }) => new Tensor(cores.map((c) => c.shape[1]!), Float32Array.from(ttReconstruct(cores))),
} satisfies ValueKind<'tt', TtValue>;
