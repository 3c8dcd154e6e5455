// Turning any decomposition back into a dense tensor, and counting what it stores.
import { Tensor, matmul, multiModeProduct, sizeOf } from '../tensor';
import type { CpValue, PortTypes, SvdValue, TtValue, TuckerValue } from '../values';
import { ttReconstruct } from './tt';

export type DecompositionKind = 'tensor' | 'svd' | 'tucker' | 'cp' | 'tt';
type AnyValue = PortTypes[DecompositionKind];

/** Which kind of value this is (values on edges are plain objects of known shapes). */
export function kindOf(v: AnyValue): DecompositionKind {
  if (v instanceof Tensor) return 'tensor';
  if ('u' in v) return 'svd';
  if ('core' in v) return 'tucker';
  if ('weights' in v) return 'cp';
  return 'tt';
}

export function reconstruct(v: AnyValue): Tensor {
  switch (kindOf(v)) {
    case 'tensor':
      return v as Tensor;
    case 'svd': {
      const { u, s, v: vv } = v as SvdValue;
      const k = s.size;
      const us = new Tensor(u.shape, u.data.map((x, i) => x * s.data[i % k]!));
      return matmul(us, vv, { transB: true });
    }
    case 'tucker': {
      const t = v as TuckerValue;
      return multiModeProduct(t.core, t.factors);
    }
    case 'cp': {
      const { weights, factors } = v as CpValue;
      const r = weights.size;
      const shape = factors.map((f) => f.shape[0]!);
      // A CP tensor is a Tucker tensor with a superdiagonal core of the weights.
      const core = new Tensor(factors.map(() => r));
      const stride = factors.reduce((acc, _, i) => acc + r ** i, 0);
      for (let i = 0; i < r; i++) core.data[i * stride] = weights.data[i]!;
      return new Tensor(shape, multiModeProduct(core, factors).data);
    }
    case 'tt': {
      const { cores } = v as TtValue;
      return new Tensor(cores.map((c) => c.shape[1]!), Float32Array.from(ttReconstruct(cores)));
    }
  }
}

/** Numbers stored, and the size of the dense tensor they stand for. */
export function sizes(v: AnyValue): { params: number; dense: number } {
  const sum = (ts: Tensor[]) => ts.reduce((n, t) => n + t.size, 0);
  switch (kindOf(v)) {
    case 'tensor':
      return { params: (v as Tensor).size, dense: (v as Tensor).size };
    case 'svd': {
      const { u, s, v: vv } = v as SvdValue;
      return { params: sum([u, s, vv]), dense: u.shape[0]! * vv.shape[0]! };
    }
    case 'tucker': {
      const t = v as TuckerValue;
      return { params: sum([t.core, ...t.factors]), dense: sizeOf(t.factors.map((f) => f.shape[0]!)) };
    }
    case 'cp': {
      const c = v as CpValue;
      return { params: sum([c.weights, ...c.factors]), dense: sizeOf(c.factors.map((f) => f.shape[0]!)) };
    }
    case 'tt': {
      const { cores } = v as TtValue;
      return { params: sum(cores), dense: sizeOf(cores.map((c) => c.shape[1]!)) };
    }
  }
}
