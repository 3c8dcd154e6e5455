// The editor's pure parts: share links round-trip, the inspector's parsing of typed values, and the
// import check that keeps unknown node types and half-built graphs but refuses broken ones.
import { describe, expect, it } from 'vitest';
import { paramInfo } from '../engine/graph/params';
import { findNode } from '../engine/node-api';
import { registry } from '../nodes';
import { formatValue, parseValue, sameValue } from './components/Inspector';
import { search } from './components/Palette';
import { checkImport } from './files';
import { graphFromFragment, shareFragment } from './share';
import { EXAMPLES } from './examples';
import { metricRows, toCsv } from './components/ResultsPanel';
import { shellWord } from './components/QueueDialog';

const info = (type: string, name: string) => paramInfo(findNode(registry, type)!).find((p) => p.name === name)!;

describe('editor logic', () => {
  it('a share fragment carries the graph exactly and is shorter than the JSON; a damaged one says so', () => {
    const doc = JSON.parse(EXAMPLES.find((e) => e.name === 'tucker-noise')!.text);
    const frag = shareFragment(doc);
    expect(JSON.parse(graphFromFragment(`#${frag}`)!)).toEqual(doc);
    expect(frag.length).toBeLessThan(JSON.stringify(doc).length);
    expect(graphFromFragment('#other=1')).toBeNull();
    expect(() => graphFromFragment('#graph=AAAA')).toThrow(/share link is damaged/);
  });

  it('parses rank lists (with full), numbers and JSON, and says what is wrong', () => {
    const ranks = info('decompose.tucker', 'ranks');
    expect(parseValue(ranks, '8, 8 full')).toEqual({ ok: true, value: [8, 8, null] });
    expect(formatValue(ranks, [8, null])).toBe('8, full');
    expect(parseValue(ranks, '8, x')).toEqual({ ok: false, message: '“x” is not a number (or full)' });
    expect(parseValue(info('decompose.tucker', 'tol'), '1e-6')).toEqual({ ok: true, value: 1e-6 });
    expect(parseValue(info('decompose.tucker', 'tol'), '')).toEqual({ ok: true, value: undefined });
    expect(parseValue(info('source.function', 'domain'), '[[0, 1], [2, 3]]')).toEqual({ ok: true, value: [[0, 1], [2, 3]] });
    expect(parseValue(info('source.function', 'domain'), '[[0, 1]')).toMatchObject({ ok: false });
    expect(parseValue(info('decompose.tt', 'maxRank'), '4')).toEqual({ ok: true, value: 4 });
    // A select's option is the enum value as text (issue 12: every pick was refused as "not valid JSON").
    expect(parseValue(info('source.synthetic', 'kind'), 'gaussian')).toEqual({ ok: true, value: 'gaussian' });
    expect(parseValue(info('decompose.tucker', 'method'), 'hosvd')).toEqual({ ok: true, value: 'hosvd' });
    expect(parseValue(info('source.synthetic', 'kind'), 'nope')).toMatchObject({ ok: false, message: expect.stringContaining('not one of tucker, cp, tt, gaussian') });
    // "3," and "3" are the same list: the field keeps the text being typed.
    expect(sameValue(parseValue(ranks, '3,').ok && (parseValue(ranks, '3,') as { value: unknown }).value, [3])).toBe(true);
  });

  it('imports keep nodes of unknown type and refuse malformed JSON or invalid graphs with every problem', () => {
    const base = { format: 'corespace.graph', version: 1, name: 'x' };
    const ok = checkImport(JSON.stringify({ ...base, nodes: [{ id: 'n', type: 'from.the.future', params: { k: 1 } }] }));
    expect(ok.ok && ok.doc.nodes[0]).toMatchObject({ type: 'from.the.future', params: { k: 1 } });
    const bad = checkImport('{"format": "corespace.graph", ');
    expect(bad.ok).toBe(false);
    const invalid = checkImport(
      JSON.stringify({
        ...base,
        nodes: [
          { id: 'a', type: 'source.synthetic', params: { noise: -1 } },
          { id: 'r', type: 'reconstruct' },
        ],
        edges: [{ id: 'e', from: { node: 'a', port: 'tensor' }, to: { node: 'r', port: 'decomposition' } }],
      }),
    );
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(invalid.problems.some((p) => p.includes("param 'noise'"))).toBe(true);
      expect(invalid.problems.some((p) => p.includes('decomposition'))).toBe(true);
    }
  });

  it('a half-built graph (an input not connected, Tucker without ranks, a param out of range) imports with warnings', () => {
    const base = { format: 'corespace.graph', version: 1, name: 'x' };
    const half = checkImport(
      JSON.stringify({
        ...base,
        nodes: [
          { id: 'a', type: 'source.synthetic', params: { noise: -1 } },
          { id: 't', type: 'decompose.tucker', params: {} },
          { id: 'r', type: 'reconstruct' },
        ],
        edges: [{ id: 'e', from: { node: 'a', port: 'tensor' }, to: { node: 't', port: 'tensor' } }],
      }),
    );
    expect(half.ok).toBe(true);
    if (half.ok) {
      expect(half.doc.nodes.map((n) => n.id)).toEqual(['a', 't', 'r']);
      expect(half.warnings.some((w) => w.includes("param 'noise'"))).toBe(true);
      expect(half.warnings.some((w) => w.startsWith('node r:') && w.includes('needs its input'))).toBe(true);
    }
  });

  it('quick-add ranks type and title matches before description matches', () => {
    expect(search('tucker', registry.nodes)[0]!.type).toBe('decompose.tucker');
    expect(search('svd', registry.nodes)[0]!.type).toBe('decompose.svd');
    expect(search('cp', registry.nodes)[0]!.type).toBe('decompose.cp');
    expect(search('dct', registry.nodes)[0]!.type).toBe('transform.dct');
    expect(search('', registry.nodes)).toHaveLength(registry.nodes.length);
  });

  it('every example opens laid out: a position for every node, no two nodes on top of each other', () => {
    for (const e of EXAMPLES) {
      const doc = JSON.parse(e.text);
      const at = doc.layout?.positions ?? {};
      const missing = doc.nodes.filter((n: { id: string }) => !at[n.id]).map((n: { id: string }) => n.id);
      expect([e.name, missing]).toEqual([e.name, []]);
      const ids = Object.keys(at);
      for (let i = 0; i < ids.length; i++)
        for (let j = i + 1; j < ids.length; j++) {
          const [a, b] = [at[ids[i]!], at[ids[j]!]];
          const apart = Math.abs(a.x - b.x) >= 240 || Math.abs(a.y - b.y) >= 150;
          expect([e.name, ids[i], ids[j], apart]).toEqual([e.name, ids[i], ids[j], true]);
        }
    }
    // The rank sweep shows its sweeps.
    const sweep = JSON.parse(EXAMPLES.find((e) => e.name === 'rank-sweep')!.text);
    const plotted = sweep.edges.filter((x: { to: { node: string } }) => sweep.nodes.find((n: { id: string; type: string }) => n.id === x.to.node)?.type === 'view.plot').map((x: { from: { node: string } }) => x.from.node);
    expect(plotted.sort()).toEqual(['cpSweep', 'sweep']);
  });

  it('every example graph is in the gallery and passes the import check', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(6);
    for (const e of EXAMPLES) expect(checkImport(e.text).ok, e.name).toBe(true);
  });

  it('lists every metric of a run and writes CSV with quoting', () => {
    const rows = metricRows({
      a: { status: 'done', summary: { info: { type: 'metrics', metrics: { relError: { value: 0.5, unit: '' }, 'psnr, luma': { value: 30, unit: 'dB' } } } } },
      b: { status: 'error' },
    });
    expect(rows).toHaveLength(2);
    expect(toCsv(rows)).toBe('node,port,metric,value,unit\na,info,relError,0.5,\na,info,"psnr, luma",30,dB\n');
  });
});

describe('shell words for the queue dialog', () => {
  it('leaves plain words, and quotes the rest so a shell reads them back as they were', () => {
    expect(shellWord('rank-sweep.json')).toBe('rank-sweep.json');
    expect(shellWord('redis://:pw@10.0.0.7:6379/0')).toBe('redis://:pw@10.0.0.7:6379/0');
    expect(shellWord('my graph.json')).toBe("'my graph.json'");
    expect(shellWord("it's $HOME;rm")).toBe(`'it'\\''s $HOME;rm'`);
  });
});
