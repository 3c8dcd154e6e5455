// The compact form of compress.model's transform-domain methods, read back outside Corespace: the
// README's Python (NumPy, SciPy, PyWavelets; its code block between the expand markers, run as it
// is) expands every .safetensors file the node writes — dct by indices and by bitmask, wht on padded
// grids, a 2-level db2 dwt, haar lowrank-subbands — to the dense weights the node put in the .onnx.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeProtoSchema } from 'onnx-buf';
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { RandomSource, cpuBackend, weightTensor, writeNpy, writeSafetensors, type AnyNodeDefinition, type ModelValue, type RunContext, type WeightsValue } from '../engine';
import { wasmModelRuntime } from '../engine/model/node-runtime';
import { registry } from '../nodes';
import { gaussian, ints, modelOf } from './onnx-build';
import { tempDir } from './temp';

const node = registry.nodes.find((n) => n.type === 'compress.model')! as AnyNodeDefinition;
const ctx = { nodeId: 'c', progress: () => {}, backend: cpuBackend, random: new RandomSource(0), models: wasmModelRuntime, files: { read: async () => new Uint8Array() } } as unknown as RunContext;

/** A Python with NumPy, SciPy and PyWavelets (scripts/setup-system.sh installs Debian's). */
function python(): string | null {
  for (const exe of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(exe, ['-c', 'import numpy, scipy, pywt'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return null;
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const snippet = /<!-- expand:start -->\n```python\n([\s\S]*?)```\n<!-- expand:end -->/.exec(readme)?.[1];

describe("the README's Python expands compress.model's compact form", () => {
  it('to the dense weights of the .onnx, for dct (indices and mask), wht, dwt and lowrank-subbands', async (t) => {
    expect(snippet).toContain('def expand(path):');
    const exe = python();
    if (!exe) {
      if (process.env.CI) throw new Error('no python3 with numpy, scipy and pywt: scripts/setup-system.sh installs python3-numpy, python3-scipy and python3-pywt');
      return t.skip('no python3 with numpy, scipy and pywt here (scripts/setup-system.sh installs them)');
    }
    const dir = tempDir('expand');
    const make = (): ModelValue => ({
      kind: 'model',
      name: 'two.onnx',
      proto: modelOf(['n', 4, 8, 8], [['K', gaussian([6, 4, 3, 3], 1)], ['W', gaussian([24, 40], 2)]], [
        create(NodeProtoSchema, { name: 'conv', opType: 'Conv', input: ['x', 'K'], output: ['h'], attribute: [ints('pads', [1, 1, 1, 1])] }),
        create(NodeProtoSchema, { name: 'flat', opType: 'Reshape', input: ['h', 'shape'], output: ['f'] }),
        create(NodeProtoSchema, { name: 'mm', opType: 'MatMul', input: ['f', 'W'], output: ['y'] }),
      ]),
    });
    const cases: [string, Record<string, unknown>][] = [
      ['dct', { method: 'dct', ranks: { conv: 5, mm: 400 }, onlyIfSmaller: false }],
      ['wht', { method: 'wht', ranks: { conv: 10, mm: 500 }, onlyIfSmaller: false }],
      ['dwt', { method: 'dwt', wavelet: 'db2', levels: 2, ratio: 0.3 }],
      ['subbands', { method: 'lowrank-subbands', wavelet: 'haar', ranks: { conv: 1, mm: 3 } }],
    ];
    const want: Record<string, string[]> = {};
    for (const [name, params] of cases) {
      const out = (await node.run({ model: make() } as never, node.params.parse(params), ctx)) as { model: ModelValue; weights: WeightsValue };
      writeFileSync(join(dir, `${name}.safetensors`), writeSafetensors(out.weights.file));
      const meta = JSON.parse(out.weights.file.metadata.corespace!) as { layers: Record<string, { weight: string; positions?: string }> };
      want[name] = Object.values(meta.layers).map((l) => `${l.weight}:${l.positions ?? 'subbands'}`);
      for (const init of out.model.proto.graph!.initializer.filter((i) => i.name.includes('.'))) writeFileSync(join(dir, `${name}-${init.name.split('.')[0]}.npy`), writeNpy(await weightTensor(init)));
    }
    // Both positions stores and both layers in every file. (pywt warns that 2 levels of db2 on 8 rows
    // touch the boundary everywhere; periodization is exact, so the warning is silenced.)
    expect(want).toEqual({ dct: ['K:indices', 'W:mask'], wht: ['K:indices', 'W:mask'], dwt: ['K:mask', 'W:mask'], subbands: ['K:subbands', 'W:subbands'] });
    const driver = `${snippet}
import sys
worst = 0
for name in ['dct', 'wht', 'dwt', 'subbands']:
    dense = expand(f'{sys.argv[1]}/{name}.safetensors')
    for weight, w in dense.items():
        ref = np.load(f'{sys.argv[1]}/{name}-{weight}.npy')
        assert w.shape == ref.shape, (name, weight, w.shape, ref.shape)
        worst = max(worst, float(np.linalg.norm(w - ref) / np.linalg.norm(ref)))
print(worst)
`;
    const r = spawnSync(exe, ['-W', 'ignore::UserWarning', '-c', driver, dir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(Number(r.stdout)).toBeLessThan(1e-6);
    expect(Number(r.stdout)).toBeGreaterThanOrEqual(0);
  });
});


