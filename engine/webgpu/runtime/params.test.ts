// The kernels' uniform layouts come from their WGSL (scripts/build-shaders.ts): the generated file
// matches shaders/, every shader is bound by the module of its name, the layout follows WGSL's
// alignment rules, and packParams writes each field where the shader reads it. No GPU needed.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { paramsLayout, shadersModuleText } from '../../../scripts/build-shaders';
import { PARAMS, WGSL } from '../wgsl.generated';
import { packParams } from './params';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('kernel sources and layouts', () => {
  it('the engine reads the kernels in shaders/ (run npm run build:shaders after editing them)', () => {
    expect(read('engine/webgpu/wgsl.generated.ts')).toBe(shadersModuleText());
  });

  it('each shader is bound by the one module named after it: engine/webgpu/kernels/, or bench/ and test/ for theirs', () => {
    const modules = ['engine/webgpu/kernels/', 'bench/', 'test/webgpu/'].flatMap((dir) =>
      readdirSync(new URL(dir, root))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => ({ path: dir + f, base: f.replace(/(-kernel)?\.ts$/, ''), text: read(dir + f) })),
    );
    for (const name of Object.keys(WGSL)) {
      const binders = modules.filter((m) => m.text.includes(`'${name}'`) && /\bkernel\(/.test(m.text)).map((m) => m.path);
      expect([name, binders.length], `${name}.wgsl bound by ${binders.join(', ') || 'nothing'}`).toEqual([name, 1]);
      // Same name; a variant (reduce-subgroups) lives with the kernel it varies.
      const base = modules.find((m) => m.path === binders[0])!.base;
      expect(name === base || name.startsWith(`${base}-`), `${name}.wgsl is bound by ${binders[0]}`).toBe(true);
    }
  });

  it('lays out a struct by WGSL rules: vectors and vec4 arrays aligned to 16, the size a multiple of 16', () => {
    const l = paramsLayout('struct Params {\n  a: u32,\n  b: vec4f, // comment, with a comma\n  c: f32,\n  d: vec2<i32>,\n  e: array<vec4u, 2>,\n}\n', 't.wgsl')!;
    expect(l.fields).toEqual([
      { name: 'a', offset: 0, type: 'u32', count: 1 },
      { name: 'b', offset: 16, type: 'f32', count: 4 },
      { name: 'c', offset: 32, type: 'f32', count: 1 },
      { name: 'd', offset: 40, type: 'i32', count: 2 },
      { name: 'e', offset: 48, type: 'u32', count: 8 },
    ]);
    expect(l.size).toBe(80);
    expect(paramsLayout('fn main() {}', 'none.wgsl')).toBeNull();
    expect(() => paramsLayout('struct Params {\n  m: mat2x2f,\n}\n', 'm.wgsl')).toThrow(/m\.wgsl: Params field 'm' has type mat2x2f/);
  });

  it('agrees with the sizes the shaders state in their comments', () => {
    // Each shader says "// N bytes" beside its params binding (written by hand before the layouts
    // were generated: two independent counts).
    for (const [name, layout] of Object.entries(PARAMS)) {
      const said = /var<uniform> params: Params;\s*\/\/ (\d+) bytes(?: \((\d+) with padding\))?/.exec(WGSL[name as keyof typeof WGSL]);
      if (!said) continue;
      expect([name, layout.size]).toEqual([name, Number(said[2] ?? said[1])]);
    }
  });

  it('packParams writes each field where the shader reads it, and refuses a wrong value', () => {
    const b = packParams('gemm', { m: 3, n: 4, k: 5, trans_a: 1, trans_b: 0, stride_a: 0, stride_b: 0, stride_c: 0, alpha: 0.5, beta: -2, batch0: 7, off_a: 1, off_b: 2, off_c: 3, lda: 9, ldb: 10 });
    const v = new DataView(b);
    expect(b.byteLength).toBe(64);
    expect([v.getUint32(0, true), v.getUint32(12, true), v.getFloat32(32, true), v.getFloat32(36, true), v.getUint32(40, true), v.getUint32(60, true)]).toEqual([3, 1, 0.5, -2, 7, 10]);
    const d = new DataView(packParams('dwt', { ndim: 2, total: 6, axis: 1, n: 3, taps: 2, inverse: 0, src_off: 0, dst_off: 0, shape: [2, 3], extent: [2, 3], lo: [0.5, 0.25], hi: Float64Array.of(-1) }));
    expect([d.getUint32(32, true), d.getUint32(36, true), d.getUint32(40, true), d.getFloat32(100, true), d.getFloat32(128, true), d.getFloat32(132, true)]).toEqual([2, 3, 0, 0.25, -1, 0]);
    expect(() => packParams('fwht', { n: 8, log2n: 3, sequency: 0, scale: 0.5 } as never)).toThrow("fwht params: no value for 'lines'");
    expect(() => packParams('fwht', { n: -1, log2n: 3, sequency: 0, scale: 0.5, lines: 1 })).toThrow("fwht params: 'n' is u32, got -1");
    expect(() => packParams('fwht', { n: 1.5, log2n: 3, sequency: 0, scale: 0.5, lines: 1 })).toThrow("'n' is u32, got 1.5");
    expect(() => packParams('permute', { ndim: 9, total: 1, src_off: 0, dst_off: 0, out_shape: new Array(9).fill(1), in_stride: [], out_stride: [] })).toThrow("permute params: 'out_shape' holds 8 values, got 9");
  });
});
