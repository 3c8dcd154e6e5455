// Dense N-D float32 tensor, row-major (C order: last index fastest), the layout of numpy's default
// arrays and of every .npy file in ../shared/refs. A 0-d tensor has shape [] and one element.

export type Shape = readonly number[];

export class Tensor {
  readonly shape: Shape;
  readonly data: Float32Array;

  constructor(shape: Shape, data?: Float32Array) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`invalid tensor shape [${shape.join(', ')}]: sizes must be integers ≥ 0`);
    }
    const size = sizeOf(shape);
    if (data && data.length !== size) {
      throw new Error(`tensor data has ${data.length} elements but shape [${shape.join(', ')}] needs ${size}`);
    }
    this.shape = Object.freeze([...shape]);
    this.data = data ?? new Float32Array(size);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** Element at a multi-index (checked); for tests and small tools, not for inner loops. */
  get(...index: number[]): number {
    return this.data[this.offset(index)]!;
  }

  set(index: readonly number[], value: number): void {
    this.data[this.offset(index)] = value;
  }

  private offset(index: readonly number[]): number {
    if (index.length !== this.ndim) throw new Error(`index has ${index.length} entries, tensor has ${this.ndim} modes`);
    let off = 0;
    for (let i = 0; i < index.length; i++) {
      const k = index[i]!;
      const n = this.shape[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= n) throw new Error(`index ${k} out of range [0, ${n}) on mode ${i}`);
      off = off * n + k;
    }
    return off;
  }

  static zeros(shape: Shape): Tensor {
    return new Tensor(shape);
  }

  static from(shape: Shape, values: ArrayLike<number>): Tensor {
    return new Tensor(shape, Float32Array.from(values));
  }

  static fill(shape: Shape, value: number): Tensor {
    return new Tensor(shape, new Float32Array(sizeOf(shape)).fill(value));
  }

  clone(): Tensor {
    return new Tensor(this.shape, this.data.slice());
  }
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join('×')}]`;
}
