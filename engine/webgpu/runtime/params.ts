// A kernel's uniform params, packed by the layout generated from its WGSL `struct Params` (PARAMS in
// wgsl.generated.ts): one description, the shader's, so no byte offset is counted by hand. Every
// field is named (the compiler asks for each one), arrays fill their leading slots (the rest 0).
import { PARAMS } from '../wgsl.generated';
import type { BufferPool } from './pool';

export type ParamsKernel = keyof typeof PARAMS;
type Fields<K extends ParamsKernel> = (typeof PARAMS)[K]['fields'];
/** The values of a kernel's params: a number per scalar field, a list for an array field. */
export type ParamValues<K extends ParamsKernel> = { [F in keyof Fields<K>]: Fields<K>[F] extends { count: 1 } ? number : ArrayLike<number> };

/** The params' bytes: u32 and i32 fields as integers (checked), f32 fields rounded to float32. */
export function packParams<K extends ParamsKernel>(kernel: K, values: ParamValues<K>): ArrayBuffer {
  const layout = PARAMS[kernel] as { size: number; fields: Record<string, { offset: number; type: 'u32' | 'i32' | 'f32'; count: number }> };
  const bytes = new ArrayBuffer(layout.size);
  const view = new DataView(bytes);
  for (const [name, f] of Object.entries(layout.fields)) {
    const v = (values as Record<string, number | ArrayLike<number>>)[name];
    const list = typeof v === 'number' ? [v] : v === undefined ? undefined : Array.from(v);
    if (list === undefined) throw new Error(`${String(kernel)} params: no value for '${name}'`);
    if (list.length > f.count) throw new Error(`${String(kernel)} params: '${name}' holds ${f.count} values, got ${list.length}`);
    list.forEach((x, i) => {
      const at = f.offset + 4 * i;
      if (f.type === 'f32') return view.setFloat32(at, x, true);
      const [lo, hi] = f.type === 'u32' ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
      if (!Number.isInteger(x) || x < lo || x > hi) throw new Error(`${String(kernel)} params: '${name}' is ${f.type}, got ${x}`);
      if (f.type === 'u32') view.setUint32(at, x, true);
      else view.setInt32(at, x, true);
    });
  }
  return bytes;
}

/** A uniform buffer from the pool holding the kernel's params (the caller releases it to the pool
 * once the submission that reads it is done). */
export function paramsBuffer<K extends ParamsKernel>(device: GPUDevice, pool: BufferPool, kernel: K, values: ParamValues<K>): GPUBuffer {
  const bytes = packParams(kernel, values);
  const uniform = pool.acquire(`${String(kernel)} params`, bytes.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  device.queue.writeBuffer(uniform, 0, bytes);
  return uniform;
}
