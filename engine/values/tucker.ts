// A Tucker decomposition X ≈ G ×₀ U₀ ×₁ U₁ …
import { Tensor, multiModeProduct, sizeOf } from '../tensor';
import { countOf, type ValueKind } from './kind';
import { tensorPreview } from './preview';

/** Tucker X ≈ G ×₀ U₀ ×₁ U₁ … with core G (r₀×r₁×…) and factors Uₙ of shape Iₙ×rₙ. */
export interface TuckerValue {
  kind: 'tucker';
  core: Tensor;
  factors: Tensor[];
}

export const tuckerKind = {
  kind: 'tucker',
  doc: 'a Tucker decomposition: core G (r₀×r₁×…) and factor matrices Uₙ (Iₙ×rₙ), X ≈ G ×₀ U₀ ×₁ U₁ …',
  color: '#22c55e',
  example: (): TuckerValue => ({ kind: 'tucker', core: Tensor.from([1, 2], [2, 1]), factors: [Tensor.from([2, 1], [1, 0]), Tensor.from([3, 2], [1, 0, 0, 1, 0, 0])] }),
  summary: (t) => ({ shape: t.factors.map((f) => f.shape[0]!), ranks: [...t.core.shape], parameters: countOf([t.core, ...t.factors]) }),
  tensors: (t) => [t.core, ...t.factors],
  preview: (t, port) => tensorPreview(t.core, `${port} core`),
  sizes: (t) => ({ params: countOf([t.core, ...t.factors]), dense: sizeOf(t.factors.map((f) => f.shape[0]!)) }),
  reconstruct: (t) => multiModeProduct(t.core, t.factors),
  subspace: (t, mode) => t.factors[mode] ?? `this Tucker decomposition has modes 0 … ${t.factors.length - 1}, not ${mode}`,
} satisfies ValueKind<'tucker', TuckerValue>;
