// What a value kind is: the type of the values one port type carries, and everything the engine,
// the CLI and the editor need to handle them without knowing the kind (summary, tensors, preview,
// and for decompositions the dense tensor they stand for). One module per kind in this folder; the
// list is engine/values/index.ts. A module writes `export const xKind = { … } satisfies ValueKind<'x', X>`
// so the list keeps which optional parts (sizes, reconstruct) each kind has.
import type { Tensor } from '../tensor';

/** What a run reports for one output port: enough to read without loading the value. */
export interface ValueSummary {
  type: string;
  shape?: number[];
  norm?: number;
  /** Number of stored parameters (elements over all parts) for decompositions. */
  parameters?: number;
  ranks?: number[];
  metrics?: Record<string, { value: number; unit: string }>;
  table?: { columns: string[]; rows: number[][]; labels?: string[] };
  /** What the value is, in words, where numbers would not say it (a model: its file, nodes, opset). */
  about?: string;
}

/** A node's thumbnail of one output (made where the value is, small enough to post anywhere). */
export type Preview =
  | { kind: 'heatmap'; rows: number; cols: number; values: number[]; min: number; max: number; label: string }
  | { kind: 'sparkline'; values: number[]; label: string };

export interface ValueKind<K extends string, T> {
  /** The port type name: a public contract of the graph format (edges join equal types). */
  readonly kind: K;
  /** What the kind is, for the catalogue and the docs. */
  readonly doc: string;
  /** Its handles' and wires' colour in the editor (#rrggbb). */
  readonly color: string;
  /** A small value of the kind, for the registry's tests and the docs. */
  example(): T;
  summary(v: T): Promise<Omit<ValueSummary, 'type'>> | Omit<ValueSummary, 'type'>;
  /** Every tensor the value holds (what a readback reads, what a lost device invalidates). */
  tensors(v: T): Tensor[];
  /** The node's thumbnail of the value; reads back only the tensors it shows. */
  preview(v: T, port: string): Promise<Preview | null>;
  /** Why the kind has no thumbnail, where it has none (then `preview` gives null). */
  readonly noPreview?: string;
  /** Numbers stored, and the entries of the dense tensor they stand for (tensors, decompositions). */
  sizes?(v: T): { params: number; dense: number };
  /** The dense tensor a decomposition stands for (defined exactly for the decomposition kinds). */
  reconstruct?(v: T): Tensor;
  /** A matrix [I_mode, r] whose columns span the decomposition's subspace of a mode (the Grassmann
   * nodes, a rank sweep's subspaces); a message when the kind has none for that mode. */
  subspace?(v: T, mode: number): Tensor | string;
}

/** Total elements of some tensors. */
export const countOf = (ts: readonly Tensor[]): number => ts.reduce((n, t) => n + t.size, 0);
