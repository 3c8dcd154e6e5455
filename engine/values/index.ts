// The values that travel on edges: one kind per port type, each in its own module of this folder,
// and this list of them. Port types are a public contract of the graph format: an edge may only
// join ports of the same type. Adding a kind is one module and one line in `valueKinds`; the
// scheduler's summaries and readbacks, the reconstruct, size and sweep nodes, the CLI's catalogue
// and the editor's colours and thumbnails all read it (engine/values/values.test.ts checks that
// each kind has what they need).
import { Tensor } from '../tensor';
import { chebyshevKind } from './chebyshev';
import { cpKind } from './cp';
import { functionKind } from './function';
import type { Preview, ValueKind, ValueSummary } from './kind';
import { metricsKind } from './metrics';
import { modelKind } from './model';
import { weightsKind } from './weights';
import { radianceKind } from './radiance';
import { svdKind } from './svd';
import { tableKind } from './table';
import { tensorKind } from './tensor';
import { ttKind } from './tt';
import { tuckerKind } from './tucker';

export type { ChebyshevValue } from './chebyshev';
export type { CpValue } from './cp';
export type { FunctionValue } from './function';
export { countOf, type Preview, type ValueKind, type ValueSummary } from './kind';
export type { Metric, Metrics } from './metrics';
export type { ModelValue } from './model';
export type { WeightsValue } from './weights';
export type { RadianceValue } from './radiance';
export type { SvdValue } from './svd';
export type { TableValue } from './table';
export type { TtValue } from './tt';
export type { TuckerValue } from './tucker';

export const valueKinds = [tensorKind, tableKind, functionKind, chebyshevKind, metricsKind, svdKind, tuckerKind, cpKind, ttKind, modelKind, weightsKind, radianceKind] as const;

type AnyKind = (typeof valueKinds)[number];
export type PortType = AnyKind['kind'];
/** Port type → the type of the values it carries. */
export type PortTypes = { [K in AnyKind as K['kind']]: ReturnType<K['example']> };
/** The kinds that stand for a dense tensor they can rebuild (the inputs of reconstruct, size, sweep). */
export type DecompositionKind = Extract<AnyKind, { reconstruct: unknown }>['kind'];
export type Decomposition = PortTypes[DecompositionKind];

const byName = new Map<string, AnyKind>(valueKinds.map((k) => [k.kind, k]));

/** The kind of a port type; throws for one that is not registered. */
export function valueKind<K extends PortType>(type: K): ValueKind<K, PortTypes[K]>;
export function valueKind(type: string): ValueKind<string, unknown>;
export function valueKind(type: string): ValueKind<string, unknown> {
  const k = byName.get(type);
  if (!k) throw new Error(`unknown value kind '${type}' (known: ${[...byName.keys()].join(', ')})`);
  return k as unknown as ValueKind<string, unknown>;
}

export const isPortType = (type: string): type is PortType => byName.has(type);

/** The kind a value says it is: a tensor, or a value whose `kind` tag names a registered kind
 * (every kind but metrics, whose keys are its metrics' names); undefined otherwise. */
export function kindOf(value: unknown): PortType | undefined {
  if (value instanceof Tensor) return 'tensor';
  const tag = value !== null && typeof value === 'object' ? (value as { kind?: unknown }).kind : undefined;
  return typeof tag === 'string' && byName.has(tag) ? (tag as PortType) : undefined;
}

/** The decomposition kinds, in the list's order. */
export const DECOMPOSITIONS = valueKinds.filter((k) => 'reconstruct' in k).map((k) => k.kind) as DecompositionKind[];

export const isDecomposition = (value: unknown): value is Decomposition => (DECOMPOSITIONS as readonly string[]).includes(kindOf(value) ?? '');

/** The dense tensor a tensor or a decomposition stands for. */
export function reconstruct(value: Tensor | Decomposition): Tensor {
  if (value instanceof Tensor) return value;
  return valueKind(value.kind).reconstruct!(value);
}

/** Numbers stored, and the size of the dense tensor they stand for. */
export function sizes(value: Tensor | Decomposition): { params: number; dense: number } {
  return valueKind(value instanceof Tensor ? 'tensor' : value.kind).sizes!(value);
}

/** The matrix [I_mode, r] whose columns span a decomposition's subspace of a mode; throws, saying
 * which modes there are, for one it has none of. */
export function subspaceOf(value: Decomposition, mode: number): Tensor {
  const s = valueKind(value.kind).subspace!(value, mode);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

export async function summarizeValue(type: PortType, value: unknown): Promise<ValueSummary> {
  return { type, ...(await valueKind(type as string).summary(value)) };
}

/** Every tensor in a port value (the parts of a decomposition, a Chebyshev expansion's core). */
export function tensorsIn(value: unknown): Tensor[] {
  const kind = kindOf(value);
  return kind ? valueKind(kind as string).tensors(value) : [];
}

/** A node's thumbnail of one output value (null for a value with none, or one it cannot tell the
 * kind of); reads back only the tensors it shows. */
export async function previewOf(value: unknown, port: string): Promise<Preview | null> {
  const kind = kindOf(value);
  return kind ? valueKind(kind as string).preview(value, port) : null;
}

/** Reads back every deferred tensor in the values (what host code, a view or an export needs). */
export async function materializeValues(...values: unknown[]): Promise<void> {
  await Promise.all(values.flatMap((v) => tensorsIn(v)).map((t) => t.materialize()));
}

/** False when a deferred tensor in the values can no longer be read (its device was lost). */
export function valuesReadable(...values: unknown[]): boolean {
  return values.flatMap((v) => tensorsIn(v)).every((t) => t.materialized || t.deferred!.alive());
}
