// The Vega-Lite specs of the plots: iteration and index axes tick at whole numbers only.
import { describe, expect, it } from 'vitest';
import { View, parse } from 'vega';
import { compile } from 'vega-lite';
import type { ViewRequest } from '../../engine/node-api';
import { paretoFront, plotSpec } from './plot';

type Plot = Extract<ViewRequest, { kind: 'plot' }>;
const plot = (kind: Plot['plot'], n: number): Plot => ({ kind: 'plot', plot: kind, title: 't', x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => 1 / (i + 1)), xLabel: 'iteration', yLabel: 'relative error', logY: true });

/** The x-axis tick labels vega draws for the spec (rendered headless to a scenegraph). */
async function xTicks(v: Plot): Promise<string[]> {
  const view = new View(parse(compile(plotSpec(v)).spec), { renderer: 'none' });
  await view.runAsync();
  const svg = await view.toSVG();
  view.finalize();
  // The x axis comes first; its labels are the <text> elements of its first label group.
  const labels = svg.split('role-axis-label')[1]!.split('</g>')[0]!;
  return [...labels.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]!);
}

describe('plot specs', () => {
  it.each(['convergence', 'spectrum'] as const)('%s of 4 points ticks at whole numbers', async (kind) => {
    const ticks = await xTicks(plot(kind, 4));
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect([t, Number.isInteger(Number(t))]).toEqual([t, true]);
  });

  it.each(['curves', 'rank-sweep'] as const)('a %s plot of several series draws one legend entry for each, in the order given', async (kind) => {
    const v: Plot = { ...plot(kind, 6), series: ['svd', 'svd', 'svd', 'dct', 'dct', 'wavelet subbands'], better: 'smaller-x' };
    const view = new View(parse(compile(plotSpec(v)).spec), { renderer: 'none' });
    await view.runAsync();
    const svg = await view.toSVG();
    view.finalize();
    const labels = svg.split('role-legend-label').slice(1).flatMap((g) => [...g.split('</g>')[0]!.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1]));
    expect(labels).toEqual(['svd', 'dct', 'wavelet subbands']);
  });

  it('the Pareto front keeps the points no other beats, smaller or larger x being better', () => {
    const pts = [{ x: 1, y: 5 }, { x: 2, y: 3 }, { x: 3, y: 4 }, { x: 4, y: 1 }, { x: 2, y: 6 }];
    expect(paretoFront(pts, 'larger-x')).toEqual([{ x: 4, y: 1 }]);
    expect(paretoFront(pts, 'smaller-x')).toEqual([{ x: 1, y: 5 }, { x: 2, y: 3 }, { x: 4, y: 1 }]);
  });
});
