// Dense N-D float32 tensor, row-major (C order: last index fastest), the layout of numpy's default
// arrays and of every .npy file in test/refs. A 0-d tensor has shape [] and one element.

// A tensor can also be deferred: its values stay where a backend computed them (a GPU buffer) and
// are read only when host code needs them (`await t.materialize()`), so an intermediate result that
// only feeds other device work and is never shown or exported is never read back.

export type Shape = readonly number[];

/** Where a deferred tensor's values live, and how to get them (engine/webgpu/ops.ts makes these). */
export interface DeferredValues {
  /** Where they are, for messages ("the GPU (NVIDIA H200)"). */
  readonly where: string;
  /** Whether they can still be read (false after the device was lost). */
  alive(): boolean;
  /** Reads them back (tensors sharing a source may each call it: the source reads once). */
  read(): Promise<Float32Array>;
  /** Σ x² without reading the values back (a device reduction), for summaries. */
  sumSquares(): Promise<number>;
}

export class Tensor {
  readonly shape: Shape;
  readonly size: number;
  private values: Float32Array | null;
  /** Set while the values are elsewhere (see DeferredValues). */
  private source: DeferredValues | null;
  private reading: Promise<Float32Array> | null = null;
  private norm2: Promise<number> | null = null;

  /** With `data` a DeferredValues, the tensor is deferred (see Tensor.deferred). */
  constructor(shape: Shape, data?: Float32Array | DeferredValues) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`invalid tensor shape [${shape.join(', ')}]: sizes must be integers ≥ 0`);
    }
    const size = sizeOf(shape);
    // The last line of defence against a shape from a file or a param: nodes check their sizes
    // first and name the param; this keeps a missed case from taking all memory or killing V8.
    if (data === undefined) {
      const problem = sizeProblem(shape);
      if (problem) throw new Error(`cannot make a tensor of ${problem}`);
    }
    const deferred = data !== undefined && !(data instanceof Float32Array);
    if (!deferred && data && data.length !== size) {
      throw new Error(`tensor data has ${data.length} elements but shape [${shape.join(', ')}] needs ${size}`);
    }
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.source = deferred ? data : null;
    this.values = deferred ? null : (data ?? new Float32Array(size));
  }

  /** Its value kind (engine/values): the tag every value on an edge carries. */
  get kind(): 'tensor' {
    return 'tensor';
  }

  /** A tensor whose values stay in `source` until `materialize()`. */
  static deferred(shape: Shape, source: DeferredValues): Tensor {
    return new Tensor(shape, source);
  }

  /** The values, on the host. Throws for a deferred tensor not yet materialized: code that reads
   * values awaits `materialize()` first (the scheduler does it for every node's inputs). */
  get data(): Float32Array {
    if (this.values) return this.values;
    throw new Error(`the values of this ${formatShape(this.shape)} tensor are still on ${this.source!.where} and were not read back (a bug: the code reading them must await materialize() first; please report it)`);
  }

  /** Where the values are while deferred; null once they are on the host. */
  get deferred(): DeferredValues | null {
    return this.source;
  }

  /** Whether the values are on the host. */
  get materialized(): boolean {
    return this.values !== null;
  }

  /** Reads a deferred tensor's values back (concurrent calls share the read). */
  async materialize(): Promise<this> {
    if (this.values) return this;
    const source = this.source!;
    if (!source.alive()) throw new Error(`the values of a ${formatShape(this.shape)} result were on ${source.where}, which was lost before they were read; run the graph again`);
    this.reading ??= source.read();
    const values = await this.reading;
    if (values.length !== this.size) throw new Error(`read ${values.length} values back for a ${formatShape(this.shape)} tensor`);
    this.values = values;
    this.source = null;
    return this;
  }

  /** Σ x² in float64: on the host when materialized, else by the source without a readback. */
  async sumSquares(): Promise<number> {
    if (this.values) {
      let s = 0;
      const d = this.values;
      for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
      return s;
    }
    return (this.norm2 ??= this.source!.sumSquares());
  }

  /** The same values seen with another shape of the same size; a deferred tensor stays deferred and
   * shares its source. */
  reshaped(shape: Shape): Tensor {
    if (sizeOf(shape) !== this.size) throw new Error(`cannot reshape ${formatShape(this.shape)} (${this.size} elements) into ${formatShape(shape)}`);
    return new Tensor(shape, this.values ?? this.source!);
  }

  get ndim(): number {
    return this.shape.length;
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

/** 2²⁸ float32 entries (1 GiB): the largest tensor the engine makes. */
export const MAX_TENSOR_ENTRIES = 2 ** 28;

/** Entries of a shape, as a float: exact while below 2⁵³, never wrapping (Infinity at worst). */
export function entriesOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A count with thin-space thousands (268 435 456), or in e-notation when it is huge. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n >= 1e15) return n.toExponential(2).replace('e+', 'e');
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** The limit in words, for messages. */
export function entryLimit(limit = MAX_TENSOR_ENTRIES): string {
  return limit === MAX_TENSOR_ENTRIES ? `${formatCount(limit)} (2²⁸, 1 GiB of float32)` : formatCount(limit);
}

/**
 * Why a tensor of this shape is too large to make ("[100000×100000×100000] has 1.00e15 entries,
 * above the limit of …"), or null. An axis longer than the limit is refused even when another
 * axis is 0: such a shape comes from a damaged header, and index work along it would not end.
 */
export function sizeProblem(shape: Shape, limit = MAX_TENSOR_ENTRIES): string | null {
  const long = shape.findIndex((d) => d > limit);
  if (long >= 0) return `[${shape.join('×')}], whose axis ${long} has ${formatCount(shape[long]!)} entries, above the limit of ${entryLimit(limit)}`;
  const n = entriesOf(shape);
  return n > limit ? `[${shape.join('×')}], which has ${formatCount(n)} entries, above the limit of ${entryLimit(limit)}` : null;
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
