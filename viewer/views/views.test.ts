// Every registered view kind has a doc, a component the editor loads, and a headless result: a
// Vega-Lite spec that compiles, or the reason it is skipped.
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import type { ViewRequest } from '../../engine/node-api';
import { viewKind, viewKinds } from '.';
import { heatmapSpec } from './heatmap';
import { pointsSpec } from './points';

const samples: Record<string, ViewRequest> = {
  heatmap: { kind: 'heatmap', title: 'h', rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6], signed: false },
  plot: { kind: 'plot', plot: 'spectrum', title: 'p', x: [1, 2], y: [2, 1], xLabel: 'index', yLabel: 'σ', logY: true, mark: 1 },
  tensor3d: { kind: 'tensor3d', title: 't', shape: [1, 1, 2], values: [1, 2] },
  volume: { kind: 'volume', title: 'v', shape: [1, 1, 2], values: [1, 2] },
  points: { kind: 'points', title: 'p', points: [0, 0, 0, 1, 2, 3], labels: ['a', 'b'] },
  lines: { kind: 'lines', title: 'l', lines: [0, 1, 0, 1, 0, 0, 0, 0, -1], coordinates: [1, 0, 0, -1, 0, 0] },
  radiance: { kind: 'radiance', title: 'r', width: 2, height: 1, rgb: Uint8Array.from([255, 0, 0, 0, 0, 255]) },
};

describe.each(viewKinds.map((k) => [k.kind, k] as const))('view kind %s', (name, k) => {
  it('is listed once, with a doc', () => {
    expect(viewKinds.filter((o) => o.kind === name)).toHaveLength(1);
    expect(k.doc.length).toBeGreaterThan(20);
    expect(viewKind(name)).toBe(k);
  });

  it('runs headless to a spec that compiles, or says why it is skipped', () => {
    const sample = samples[name];
    expect(sample, `a sample request for '${name}' in this test`).toBeDefined();
    const out = k.headless(sample!);
    if ('skip' in out) expect(out.skip).toMatch(/WebGL|browser|editor/);
    else expect(compile(out.spec).spec.marks?.length).toBeGreaterThan(0);
  });
});

describe('view specs', () => {
  it('a heatmap takes axis titles and counts from 1 where asked (φ(i, j) of a subspace similarity)', () => {
    const spec = heatmapSpec({ kind: 'heatmap', title: 'φ', rows: 3, cols: 3, values: [1, 0.5, 0.3, 0.5, 1, 0.6, 0.3, 0.6, 1], signed: false, xLabel: 'j: directions of b', yLabel: 'i: directions of a', origin: 1 }) as unknown as {
      encoding: { x: { title: string; axis: { values: number[] } }; y: { title: string } };
      data: { values: { r: number; c: number }[] };
    };
    expect(spec.encoding.x.title).toBe('j: directions of b (3)');
    expect(spec.encoding.y.title).toBe('i: directions of a (3)');
    expect(spec.encoding.x.axis.values).toEqual([1, 2, 3]);
    expect(spec.data.values[0]).toMatchObject({ r: 1, c: 1 });
    const plain = heatmapSpec({ kind: 'heatmap', title: 'h', rows: 2, cols: 2, values: [1, 2, 3, 4], signed: false }) as unknown as { encoding: { x: { title: string; axis: { values: number[] } } } };
    expect([plain.encoding.x.title, plain.encoding.x.axis.values]).toEqual(['column (2)', [0, 1]]);
  });

  it('points project on their first two coordinates, labelled', () => {
    const spec = pointsSpec({ kind: 'points', title: 'p', points: [1, 2, 3, 4, 5, 6], labels: ['layer 0', 'layer 1'] }) as unknown as { data: { values: { x: number; y: number; label: string }[] } };
    expect(spec.data.values).toEqual([
      { x: 1, y: 2, label: 'layer 0', c: 0 },
      { x: 4, y: 5, label: 'layer 1', c: 1 },
    ]);
  });
});

describe('the view registry', () => {
  it('lists the kinds the viewer nodes send, and refuses any other by name', () => {
    expect(viewKinds.map((k) => k.kind)).toEqual(['heatmap', 'plot', 'tensor3d', 'volume', 'points', 'lines', 'radiance']);
    expect(() => viewKind('subspace')).toThrow("a view of kind 'subspace', which no viewer draws (view kinds: heatmap, plot, tensor3d, volume, points, lines, radiance)");
  });
});
