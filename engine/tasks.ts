// Tasks: named, versioned engine functions that a node may hand to the job queue for a part of its
// work (compress.model: each layer's factors), the way a sweep's runs go out as jobs. Like node
// types, only their names travel: a worker runs the task of that name from this list, or none.
import type { Backend } from './backend';
import { layerFactors, type FactorRequest } from './model/compress';
import { Tensor } from './tensor';

export interface TaskDefinition {
  readonly name: string;
  /** Bumped when its results change; part of the key its results are stored under. */
  readonly version: number;
  /** Checks what a job brings (it may come from anywhere) and computes; the inputs and outputs are
   * plain data, tensors and typed arrays (engine/scheduler/codec.ts). */
  run(inputs: Record<string, unknown>, backend: Backend): Promise<Record<string, unknown>>;
}

const isMat = (m: unknown): boolean => {
  const x = m as { rows?: unknown; cols?: unknown; data?: unknown } | null;
  return !!x && Number.isInteger(x.rows) && Number.isInteger(x.cols) && x.data instanceof Float64Array && x.data.length === (x.rows as number) * (x.cols as number);
};

/** A layer's low-rank factors (engine/model/compress.ts, layerFactors). */
const modelFactors: TaskDefinition = {
  name: 'model.factors',
  version: 1,
  async run(inputs, backend) {
    const r = inputs.request as Partial<FactorRequest> | undefined;
    const ok =
      r && r.weight instanceof Tensor && ['matrix', 'tucker2', 'cp'].includes(r.form as string) && Array.isArray(r.rank) && r.rank.length >= 1 && r.rank.length <= 2 && r.rank.every((k) => Number.isInteger(k) && k >= 1) && typeof r.layer === 'string' &&
      (r.scaling === undefined || (isMat(r.scaling.s) && isMat(r.scaling.inverse))) && (r.form === 'matrix' ? r.weight.ndim === 2 : r.weight.ndim === 4);
    if (!ok) throw new Error('model.factors: the request is not a layer, a form (matrix, tucker2, cp) and a rank');
    return { factors: await layerFactors(r as FactorRequest, backend) };
  },
};

export const tasks: readonly TaskDefinition[] = [modelFactors];

export const findTask = (name: string): TaskDefinition | undefined => tasks.find((t) => t.name === name);
