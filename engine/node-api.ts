// What a node type is, and what its run function receives. Node files in nodes/ import only this
// module, the tensor core and the algorithms — never a backend's internals.
import type { z } from 'zod';
import type { Backend } from './backend';
import type { CostEstimate } from './cost';
import type { RandomSource } from './random';
import type { Shape, Tensor } from './tensor';
import type { ModelProto } from './io/onnx';
import type { PortType, PortTypes } from './values';

export interface OutputSpec {
  readonly name: string;
  readonly type: PortType;
  readonly doc: string;
}

export interface InputSpec {
  readonly name: string;
  /** The port type it takes, or the list of types it accepts (e.g. any decomposition). */
  readonly type: PortType | readonly PortType[];
  readonly doc: string;
  /** An optional input may stay unconnected; the run function then sees `undefined`. */
  readonly optional?: boolean;
}

/** The value type of an input that accepts T. */
type Accepted<T> = T extends readonly PortType[] ? PortTypes[T[number]] : T extends PortType ? PortTypes[T] : never;

export type InputValues<P extends readonly InputSpec[]> = {
  [K in P[number] as K['name']]: K['optional'] extends true ? Accepted<K['type']> | undefined : Accepted<K['type']>;
};
export type OutputValues<P extends readonly OutputSpec[]> = { [K in P[number] as K['name']]: PortTypes[K['type']] };

/** The types an input accepts, as a list. */
export const accepts = (spec: InputSpec): readonly PortType[] => (typeof spec.type === 'string' ? [spec.type] : spec.type);
export const describeAccepts = (spec: InputSpec): string => accepts(spec).join('|');

/** Reads files a graph refers to. Headless: the file system, relative to the graph file;
 * browser: blobs stored in IndexedDB by name and content hash. */
export interface FileResolver {
  read(path: string): Promise<Uint8Array>;
  /** A string that changes whenever the file's content may have changed (cache keys). */
  fingerprint(path: string): Promise<string>;
}

/** Where sink nodes write what the user exports. Headless: the run's output folder. */
export interface OutputSink {
  /** Writes `bytes` under `name` and returns where it went (for messages and run.json). */
  write(name: string, bytes: Uint8Array): Promise<string>;
}

/**
 * What a viewer node asks to be shown, by view kind: plain data (numbers, labels), drawn by viewer/ —
 * on screen in the editor, as a PNG in headless runs or listed as skipped with the reason. Each view
 * kind's module (viewer/views/<kind>.ts) adds its request here by declaration merging
 * (`declare module '../../engine/node-api' { interface ViewRequests { heatmap: HeatmapView } }`),
 * so a view kind is one file; the engine only passes requests on.
 */
export interface ViewRequests {}
export type ViewRequest = ViewRequests[keyof ViewRequests];

/** Runs ONNX models (evaluate.model): provided by the host — the CLI runs them in onnxruntime-web's
 * WebAssembly backend (engine/model/runtime.ts) — so the engine's bundle carries no model runtime. */
export interface ModelRuntime {
  /** Where this host runs models: onnxruntime-web's WebAssembly backend everywhere, its WebGPU
   * execution provider where the host has WebGPU (the editor in a browser that offers it). */
  readonly providers: readonly ModelProvider[];
  /** The provider `auto` means here: WebGPU where the engine itself runs on a hardware GPU adapter. */
  readonly preferred: ModelProvider;
  /** The model's first output on one input tensor; `what` names the model in messages. */
  run(model: ModelProto, input: Tensor, what: string, provider?: ModelProvider): Promise<Tensor>;
  /** The values of the named edges of the graph (layer inputs and outputs, float32) on one input to
   * the model's first input: calibration activations and the shapes MACs are counted from. */
  capture(model: ModelProto, input: Tensor, names: readonly string[], what: string): Promise<Map<string, Tensor>>;
}

export type ModelProvider = 'wasm' | 'webgpu';

/** Where viewer nodes send their views. Returns what became of one (a file written, or why not). */
export interface ViewSink {
  show(nodeId: string, view: ViewRequest): Promise<{ file?: string; skipped?: string }>;
  /** Set where the views are drawn live (the editor): the data only a 3-D view uses is then worth
   * making; a headless run writes images and leaves it out. */
  readonly interactive?: boolean;
}

export interface RunContext {
  readonly nodeId: string;
  readonly backend: Backend;
  readonly signal: AbortSignal;
  /** Seeded from the run seed and the node's `seed` param (or its id): same graph, same stream. */
  readonly random: RandomSource;
  readonly files: FileResolver;
  readonly output: OutputSink;
  /** Where viewer nodes show their views (none: they are listed as skipped). */
  readonly views?: ViewSink;
  /** Where model nodes run models (none: this host runs no ONNX models). */
  readonly models?: ModelRuntime;
  /** Reports progress (value of max, with a message) and throws if the run was cancelled, so an
   * iterative node that reports once per iteration is cancellable within one iteration. */
  progress(value: number, max: number, message?: string): void;
  /** Runs a node this one references (see NodeDefinition.references) again on the same inputs with
   * some params changed; returns its inputs and outputs. With `replace`, the inputs it takes from node
   * `replace.node` come from `replace.outputs` instead (a downstream node measuring each rerun). */
  /** Runs a task (engine/tasks.ts) on its inputs: as a job where the graph runs on a job queue, else
   * here. A node hands the costly, independent parts of its work to it (compress.model: each layer). */
  task?(name: string, inputs: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** How many tasks may be in flight at once (a queue's slots; else 1). */
  readonly taskSlots?: number;
  /** How many reruns of node `nodeId` may be in flight at once: a job queue's slots where its runs
   * are sent as jobs, else 1 (one after the other). */
  readonly parallel?: (nodeId: string) => number;
  rerun(nodeId: string, params: Record<string, unknown>, replace?: { node: string; outputs: Record<string, unknown> }): Promise<{ inputs: Record<string, unknown>; outputs: Record<string, unknown> }>;
}

/** What a cost estimate may ask of the rest of the graph: another node's estimate with some of its
 * params changed (a rank sweep's runs). */
export interface CostView {
  costOf(nodeId: string, params: Record<string, unknown>): CostEstimate | undefined;
}

/** What checkGraph sees of the other nodes of the graph. */
export interface GraphView {
  node(id: string): { type: string; def: AnyNodeDefinition | undefined; params: Record<string, unknown> } | undefined;
}

export interface NodeDefinition<
  I extends readonly InputSpec[] = readonly InputSpec[],
  O extends readonly OutputSpec[] = readonly OutputSpec[],
  P extends z.ZodObject = z.ZodObject,
> {
  /** Public, stable id such as `source.npy`; renames go through the registry's rename table. */
  readonly type: string;
  readonly title: string;
  readonly category: string;
  readonly description: string;
  /** Bumped when params change meaning; `migrate` brings older saved params up to date. */
  readonly typeVersion: number;
  readonly migrate?: (params: Record<string, unknown>, fromVersion: number) => Record<string, unknown>;
  readonly inputs: I;
  readonly outputs: O;
  readonly params: P;
  /** Files the node reads, so the cache key follows their content. */
  readonly files?: (params: z.infer<P>) => string[];
  /** Other nodes it reads by id: they run first, and a change to them re-runs this node. */
  readonly references?: (params: z.infer<P>) => string[];
  /** Checks of its params against the rest of the graph, run by validation. */
  readonly checkGraph?: (params: z.infer<P>, graph: GraphView) => { param: string; message: string }[];
  /**
   * What validation can tell before anything runs: the shapes of its tensor outputs from those of
   * its tensor inputs (undefined where not known: a file not yet read) and its params, and the
   * params those shapes refuse (a rank above a mode's size), so such a graph fails validation.
   */
  readonly shapes?: (inputs: Readonly<Record<string, Shape | undefined>>, params: z.infer<P>) => ShapeCheck;
  /**
   * An estimate of its run time from the shapes of its tensor inputs (undefined where not known) and
   * its params, for the nodes that can take minutes (engine/cost.ts): validation refuses one above
   * the ceiling, and the scheduler checks again with the real shapes before it starts the node.
   * Undefined when it cannot tell.
   */
  readonly cost?: (inputs: Readonly<Record<string, Shape | undefined>>, params: z.infer<P>, graph: CostView) => CostEstimate | undefined;
  /** The run function hands its tensor inputs to the backend (ctx.backend) and reads no values
   * itself, so inputs a GPU left on the device stay there; without it the scheduler reads every
   * input back first. */
  readonly deviceInputs?: boolean;
  run(inputs: InputValues<I>, params: z.infer<P>, ctx: RunContext): Promise<OutputValues<O>> | OutputValues<O>;
}

export interface ShapeCheck {
  outputs?: Record<string, Shape | undefined>;
  /** What the shapes refuse: a param's value, or an input's shape (inputs that must agree). */
  problems?: ({ param: string; message: string } | { input: string; message: string })[];
}

/** Identity with inference: keeps port names and param types precise inside the node file. */
export function defineNode<const I extends readonly InputSpec[], const O extends readonly OutputSpec[], P extends z.ZodObject>(
  def: NodeDefinition<I, O, P>,
): NodeDefinition<I, O, P> {
  return def;
}

/** A registered node with its port types erased, as the engine handles it. */
export type AnyNodeDefinition = NodeDefinition<readonly InputSpec[], readonly OutputSpec[], z.ZodObject>;

export interface Registry {
  readonly nodes: readonly AnyNodeDefinition[];
  /** Old type id → current type id; applied on load, so saved graphs keep working. */
  readonly renames: Readonly<Record<string, string>>;
}

export function findNode(registry: Registry, type: string): AnyNodeDefinition | undefined {
  return registry.nodes.find((n) => n.type === type);
}
