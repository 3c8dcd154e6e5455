// Which node types a queue's worker may run (engine/scheduler/remote.ts, whyLocal): every node type
// whose source reaches for what only the runner has — the graph's files, the output folder, views,
// the ONNX runtime, other nodes — is kept on the runner. A new node type that forgets it fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { whyLocal } from '../../engine';
import { registry } from '../../nodes';

const RUNNER_ONLY = /ctx\.(files|output|models|rerun)\b|ctx\.views(?!\?\.interactive)|externalReader\(ctx|runnableModel\(ctx/;

/** Each node type's source file (the one that defines it: `type: '<id>'`). */
const sources = new Map<string, string>();
const root = new URL('../../nodes/', import.meta.url);
for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
  const text = readFileSync(new URL(f, root), 'utf8');
  for (const m of text.matchAll(/^\s+type: '([a-z0-9.-]+)',$/gm)) sources.set(m[1]!, text);
}

describe('node types on queue workers', () => {
  const defs = Object.values(registry.nodes);
  it.each(defs.map((d) => [d.type, d] as const))('%s runs on a worker only if it needs nothing of the runner', (type, def) => {
    const source = sources.get(type);
    expect(source, `the file defining ${type}`).toBeDefined();
    if (RUNNER_ONLY.test(source!)) expect(whyLocal(def), `${type} uses ${RUNNER_ONLY.exec(source!)![0]}`).not.toBeNull();
  });

  it('sends the decompositions, transforms and synthetic sources, and keeps files, models and views here', () => {
    const local = (type: string) => whyLocal(defs.find((d) => d.type === type)!);
    for (const t of ['decompose.svd', 'decompose.tucker', 'decompose.cp', 'decompose.tt', 'transform.dct', 'source.synthetic', 'reconstruct']) expect(local(t), t).toBeNull();
    expect(local('source.npy')).toBe('it reads files of the graph');
    expect(local('sweep.rank')).toMatch(/re-runs other nodes/);
    expect(local('compress.model')).toMatch(/a model value, which stays where it was made/);
    expect(local('export.safetensors')).toBe('it writes files to the output folder');
    expect(local('source.function')).toMatch(/makes a function value/);
  });
});
