import { describe, expect, it } from 'vitest';
import { registry } from '../nodes';
import { compatibleNodes } from './compatible';

const names = (c: ReturnType<typeof compatibleNodes>) => c.map((x) => `${x.def.type}.${x.port}`);

describe('nodes a dropped wire can end at', () => {
  it('from a tucker output: the nodes whose inputs take a Tucker value, at that input', () => {
    const list = names(compatibleNodes(registry.nodes, { side: 'source', types: ['tucker'] }));
    expect(list).toContain('reconstruct.decomposition');
    expect(list).toContain('metrics.size.value');
    expect(list.some((n) => n.startsWith('source.'))).toBe(false);
    expect(list.some((n) => n.startsWith('decompose.'))).toBe(false); // they take tensors
  });

  it('from a tensor output: decompositions at their tensor input, a Chebyshev transform at samples', () => {
    const list = names(compatibleNodes(registry.nodes, { side: 'source', types: ['tensor'] }));
    expect(list).toContain('decompose.tucker.tensor');
    expect(list).toContain('transform.chebyshev.samples');
    expect(list).not.toContain('reconstruct.decomposition');
  });

  it('from an input: the nodes with an output of a type it accepts, at that output', () => {
    const list = names(compatibleNodes(registry.nodes, { side: 'target', types: ['svd', 'tucker', 'cp', 'tt'] }));
    expect(list).toContain('decompose.tucker.tucker');
    expect(list).toContain('decompose.svd.svd');
    expect(list).not.toContain('source.synthetic.tensor');
    expect(names(compatibleNodes(registry.nodes, { side: 'target', types: ['function'] }))).toEqual(['source.function.function']);
  });
});
