// A Chebyshev expansion on a box, its coefficients dense or in Tucker form.
import { Tensor } from '../tensor';
import { countOf, type ValueKind } from './kind';
import { tensorPreview } from './preview';
import type { TuckerValue } from './tucker';

/**
 * A Chebyshev expansion f(x) ≈ Σ C[k₀, k₁, …] T_k₀(t₀) T_k₁(t₁) …, tᵢ = 2(xᵢ − loᵢ)/(hiᵢ − loᵢ) − 1,
 * with C dense, or in Tucker form C = G ×₀ U₀ ×₁ U₁ … (the Chebyshev-Tucker format).
 */
export interface ChebyshevValue {
  kind: 'chebyshev';
  domain: [number, number][];
  coefficients: Tensor | TuckerValue;
}

const partsOf = (c: ChebyshevValue): Tensor[] => (c.coefficients instanceof Tensor ? [c.coefficients] : [c.coefficients.core, ...c.coefficients.factors]);

export const chebyshevKind = {
  kind: 'chebyshev',
  doc: 'a Chebyshev expansion on a box domain: coefficients C (dense, or Tucker G ×ₙ Uₙ: the Chebyshev-Tucker format)',
  color: '#0ea5e9',
  example: (): ChebyshevValue => ({ kind: 'chebyshev', domain: [[0, 1], [-1, 1]], coefficients: Tensor.from([2, 2], [1, 0.5, 0.25, 0]) }),
  summary: async ({ coefficients: c }) =>
    c instanceof Tensor
      ? { shape: [...c.shape], norm: Math.sqrt(await c.sumSquares()) }
      : { shape: c.factors.map((f) => f.shape[0]!), ranks: [...c.core.shape], parameters: countOf([c.core, ...c.factors]) },
  tensors: partsOf,
  // The coefficients' magnitudes fall off with degree: the dense tensor, or the Tucker core.
  preview: ({ coefficients: c }, port) => (c instanceof Tensor ? tensorPreview(c, `${port} coefficients`) : tensorPreview(c.core, `${port} core`)),
} satisfies ValueKind<'chebyshev', ChebyshevValue>;
