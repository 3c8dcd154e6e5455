// A CP (CANDECOMP/PARAFAC) decomposition X ≈ Σᵣ wᵣ · a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ …
import { Tensor, multiModeProduct, sizeOf } from '../tensor';
import { countOf, type ValueKind } from './kind';
import { tensorPreview } from './preview';

/** CP X ≈ Σᵣ wᵣ · a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ …: weights (R) and factor matrices Iₙ×R. */
export interface CpValue {
  kind: 'cp';
  weights: Tensor;
  factors: Tensor[];
}

export const cpKind = {
  kind: 'cp',
  doc: 'a CP decomposition: weights (R) and factor matrices Iₙ×R, X ≈ Σᵣ wᵣ · a⁽⁰⁾ᵣ ∘ a⁽¹⁾ᵣ ∘ …',
  color: '#ec4899',
  example: (): CpValue => ({ kind: 'cp', weights: Tensor.from([2], [3, 1]), factors: [Tensor.from([2, 2], [1, 0, 0, 1]), Tensor.from([3, 2], [1, 0, 0, 1, 1, 1])] }),
  summary: (c) => ({ shape: c.factors.map((f) => f.shape[0]!), ranks: [c.weights.size], parameters: countOf([c.weights, ...c.factors]) }),
  tensors: (c) => [c.weights, ...c.factors],
  preview: (c, port) => tensorPreview(c.weights, `${port} weights`),
  sizes: (c) => ({ params: countOf([c.weights, ...c.factors]), dense: sizeOf(c.factors.map((f) => f.shape[0]!)) }),
  subspace: (c, mode) => c.factors[mode] ?? `this CP decomposition has modes 0 … ${c.factors.length - 1}, not ${mode}`,
  // A CP tensor is a Tucker tensor with a superdiagonal core of the weights.
  reconstruct: ({ weights, factors }) => {
    const r = weights.size;
    const core = new Tensor(factors.map(() => r));
    const stride = factors.reduce((acc, _, i) => acc + r ** i, 0);
    for (let i = 0; i < r; i++) core.data[i * stride] = weights.data[i]!;
    return new Tensor(factors.map((f) => f.shape[0]!), multiModeProduct(core, factors).data);
  },
} satisfies ValueKind<'cp', CpValue>;
