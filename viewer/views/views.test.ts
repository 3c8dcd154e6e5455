// Every registered view kind has a doc, a component the editor loads, and a headless result: a
// Vega-Lite spec that compiles, or the reason it is skipped.
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import type { ViewRequest } from '../../engine/node-api';
import { viewKind, viewKinds } from '.';

const samples: Record<string, ViewRequest> = {
  heatmap: { kind: 'heatmap', title: 'h', rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6], signed: false },
  plot: { kind: 'plot', plot: 'spectrum', title: 'p', x: [1, 2], y: [2, 1], xLabel: 'index', yLabel: 'σ', logY: true, mark: 1 },
  tensor3d: { kind: 'tensor3d', title: 't', shape: [1, 1, 2], values: [1, 2] },
  volume: { kind: 'volume', title: 'v', shape: [1, 1, 2], values: [1, 2] },
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

describe('the view registry', () => {
  it('lists the kinds the viewer nodes send, and refuses any other by name', () => {
    expect(viewKinds.map((k) => k.kind)).toEqual(['heatmap', 'plot', 'tensor3d', 'volume']);
    expect(() => viewKind('subspace')).toThrow("a view of kind 'subspace', which no viewer draws (view kinds: heatmap, plot, tensor3d, volume)");
  });
});
