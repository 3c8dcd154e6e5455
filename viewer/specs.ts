// The 2-D views as Vega-Lite specs, one definition for the editor (vega-embed, canvas) and for
// headless PNGs (vega's SVG renderer, rasterized by resvg). Colour maps: viridis for magnitudes, a
// diverging map (Vega's "redblue", reversed so negative is blue) centred on 0 for signed values.
import type { TopLevelSpec } from 'vega-lite';
import type { ViewRequest } from '../engine/node-api';
import { peakAbs } from './colormaps';

type Heatmap = Extract<ViewRequest, { kind: 'heatmap' }>;
type Plot = Extract<ViewRequest, { kind: 'plot' }>;

const base = (title: string, note?: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json' as const,
  title: note ? { text: title, subtitle: note } : title,
  width: 420,
  height: 320,
  background: 'white',
});

export function heatmapSpec(v: Heatmap): TopLevelSpec {
  const values: { r: number; c: number; v: number }[] = [];
  for (let r = 0; r < v.rows; r++) for (let c = 0; c < v.cols; c++) values.push({ r, c, v: v.values[r * v.cols + c]! });
  const peak = peakAbs(v.values);
  const aspect = v.rows / v.cols;
  return {
    ...base(v.title, v.note),
    width: aspect > 1 ? Math.round(360 / aspect) : 360,
    height: aspect > 1 ? 360 : Math.max(24, Math.round(360 * aspect)),
    data: { values },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: 'c', type: 'ordinal', title: `column (${v.cols})`, axis: { labelOverlap: true, labelAngle: 0, values: ticks(v.cols) } },
      y: { field: 'r', type: 'ordinal', title: `row (${v.rows})`, axis: { labelOverlap: true, values: ticks(v.rows) } },
      color: v.signed
        ? { field: 'v', type: 'quantitative', title: 'value', scale: { scheme: 'redblue', reverse: true, domain: [-peak, peak] } }
        : { field: 'v', type: 'quantitative', title: 'value', scale: { scheme: 'viridis' } },
    },
    config: { axis: { grid: false }, view: { stroke: null }, legend: { gradientLength: 260 } },
  } as TopLevelSpec;
}

/** About six evenly spaced integer ticks over 0 … n−1. */
function ticks(n: number): number[] {
  const step = Math.max(1, Math.ceil(n / 6));
  return Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
}

export function plotSpec(v: Plot): TopLevelSpec {
  const values = v.x.map((x, i) => ({ x, y: v.y[i]! }));
  const y = { field: 'y', type: 'quantitative' as const, title: v.yLabel, scale: v.logY ? { type: 'log' as const } : { zero: v.plot === 'histogram' } };
  // Iterations and indices are whole numbers: no tick at 2.5.
  const counted = v.plot === 'convergence' || v.plot === 'spectrum';
  const x = { field: 'x', type: 'quantitative' as const, title: v.xLabel, ...(counted ? { axis: { tickMinStep: 1, format: 'd' } } : {}) };
  if (v.plot === 'histogram') {
    return { ...base(v.title, v.note), data: { values }, mark: { type: 'bar', tooltip: true, color: '#3b528b' }, encoding: { x: { ...x, bin: { binned: true, step: v.x.length > 1 ? v.x[1]! - v.x[0]! : 1 } }, x2: { field: 'x2' }, y } , transform: [{ calculate: `datum.x + ${v.x.length > 1 ? (v.x[1]! - v.x[0]!) : 1} / 2`, as: 'x2' }, { calculate: `datum.x - ${v.x.length > 1 ? (v.x[1]! - v.x[0]!) : 1} / 2`, as: 'x' }] } as TopLevelSpec;
  }
  const layers: object[] = [{ mark: { type: 'line', point: true, tooltip: true, color: '#3b528b' }, encoding: { x, y } }];
  if (v.plot === 'rank-sweep') {
    // The Pareto front: points no other point beats on both axes (smaller error, larger compression).
    const front = values.filter((p) => !values.some((q) => q !== p && q.x >= p.x && q.y <= p.y && (q.x > p.x || q.y < p.y))).sort((a, b) => a.x - b.x);
    layers[0] = { mark: { type: 'point', filled: true, tooltip: true, color: '#3b528b', size: 60 }, encoding: { x, y } };
    layers.push({ data: { values: front }, mark: { type: 'line', color: '#d62728', strokeDash: [4, 3] }, encoding: { x, y } });
  }
  if (v.mark !== undefined) layers.push({ data: { values: [{ x: v.mark }] }, mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } });
  return { ...base(v.title, v.note), data: { values }, layer: layers } as TopLevelSpec;
}

export function specOf(v: ViewRequest): TopLevelSpec | null {
  return v.kind === 'heatmap' ? heatmapSpec(v) : v.kind === 'plot' ? plotSpec(v) : null;
}
