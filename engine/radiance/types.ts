// The radiance-field value and what evaluating it gives, shared by the architectures' modules
// (field.ts: the grids; neural.ts: the networks).
import type { Tensor } from '../tensor';

export type RadianceArch = 'dense' | 'vm' | 'cp' | 'hash' | 'mlp';

export interface NeuralSizes {
  levels: number;
  log2TableSize: number;
  features: number;
  hidden: number;
  layers: number;
  frequencies: number;
}

export interface RadianceField {
  kind: 'radiance';
  arch: RadianceArch;
  /** Grid resolution N (nodes per axis). */
  resolution: number;
  /** vm, cp: the density and appearance ranks. */
  densityRank: number;
  colorRank: number;
  /** hash, mlp: the encoding's and the MLP's sizes (hash: `resolution` is its finest level). */
  neural?: NeuralSizes;
  /** The parameter tensors by name, in a fixed order per architecture. */
  params: Record<string, Tensor>;
}

/** Per-point outputs and what the backward pass needs of the forward. */
export interface FieldEval {
  /** σ per point (P). */
  sigma: Float32Array;
  /** RGB per point (P × 3). */
  rgb: Float32Array;
}

/** Gradients of a loss with respect to σ and RGB at the points. */
export interface FieldGrad {
  sigma: Float32Array;
  rgb: Float32Array;
}

