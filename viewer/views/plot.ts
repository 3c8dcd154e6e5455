// Line, point and bar plots: a spectrum (its rank marked), a convergence trace, a rank sweep (its
// Pareto front dashed), a histogram.
import type { TopLevelSpec } from 'vega-lite';
import { vegaBase, vegaView, type ViewKind } from './kind';

export interface PlotView {
  kind: 'plot';
  plot: 'spectrum' | 'convergence' | 'rank-sweep' | 'histogram' | 'curves';
  title: string;
  x: number[];
  y: number[];
  xLabel: string;
  yLabel: string;
  logY: boolean;
  /** An x to mark with a dashed rule (a spectrum's rank). */
  mark?: number;
  note?: string;
  /** Each point's series (one colour and one line each, with a legend): a method's curve, or a
   * method's points of a comparison. */
  series?: string[];
  /** rank-sweep: which x is better on the Pareto front (default larger: a compression ratio; smaller:
   * params kept). */
  better?: 'larger-x' | 'smaller-x';
  logX?: boolean;
  /** The x axis' extent, when the points' own would mislead (a comparison at one budget). */
  xDomain?: [number, number];
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    plot: PlotView;
  }
}

export const plotView: ViewKind<PlotView> = {
  kind: 'plot',
  doc: 'a spectrum, a convergence trace, a rank sweep or a histogram as a Vega-Lite plot; a PNG in headless runs',
  ...vegaView(plotSpec),
};

export function plotSpec(v: PlotView): TopLevelSpec {
  const values = v.x.map((x, i) => ({ x, y: v.y[i]!, ...(v.series ? { series: v.series[i]! } : {}) }));
  const y = { field: 'y', type: 'quantitative' as const, title: v.yLabel, scale: v.logY ? { type: 'log' as const } : { zero: v.plot === 'histogram' } };
  // Iterations and indices are whole numbers: no tick at 2.5.
  const counted = v.plot === 'convergence' || v.plot === 'spectrum';
  const x = { field: 'x', type: 'quantitative' as const, title: v.xLabel, ...(counted ? { axis: { tickMinStep: 1, format: 'd' } } : {}) };
  if (v.plot === 'histogram') {
    return { ...vegaBase(v.title, v.note), data: { values }, mark: { type: 'bar', tooltip: true, color: '#3b528b' }, encoding: { x: { ...x, bin: { binned: true, step: v.x.length > 1 ? v.x[1]! - v.x[0]! : 1 } }, x2: { field: 'x2' }, y } , transform: [{ calculate: `datum.x + ${v.x.length > 1 ? (v.x[1]! - v.x[0]!) : 1} / 2`, as: 'x2' }, { calculate: `datum.x - ${v.x.length > 1 ? (v.x[1]! - v.x[0]!) : 1} / 2`, as: 'x' }] } as TopLevelSpec;
  }
  if (v.logX) Object.assign(x, { scale: { type: 'log' as const } });
  if (v.series) {
    // One colour per series in the order given; curves as lines, a comparison as points with each
    // series' Pareto front.
    const names = [...new Set(v.series)];
    const color = { field: 'series', type: 'nominal' as const, title: null, sort: names, scale: { domain: names, scheme: 'category10' }, legend: { labelLimit: 400 } };
    const seriesLayers: object[] = [];
    if (v.plot === 'rank-sweep') {
      const front = names.flatMap((name) => paretoFront(values.filter((p) => p.series === name), v.better ?? 'larger-x'));
      const xs = { ...x, scale: v.xDomain ? { domain: v.xDomain } : { zero: false } };
      seriesLayers.push({ mark: { type: 'point', filled: true, tooltip: true, size: 70 }, encoding: { x: xs, y, color } });
      seriesLayers.push({ data: { values: front }, mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x: xs, y, color } });
    } else seriesLayers.push({ mark: { type: 'line', tooltip: true, strokeWidth: 1.5 }, encoding: { x, y, color } });
    return { ...vegaBase(v.title, v.note), data: { values }, layer: seriesLayers } as TopLevelSpec;
  }
  const layers: object[] = [{ mark: { type: 'line', point: true, tooltip: true, color: '#3b528b' }, encoding: { x, y } }];
  if (v.plot === 'rank-sweep') {
    // The Pareto front: points no other point beats on both axes (smaller error, larger compression).
    const front = paretoFront(values, v.better ?? 'larger-x');
    layers[0] = { mark: { type: 'point', filled: true, tooltip: true, color: '#3b528b', size: 60 }, encoding: { x, y } };
    layers.push({ data: { values: front }, mark: { type: 'line', color: '#d62728', strokeDash: [4, 3] }, encoding: { x, y } });
  }
  if (v.mark !== undefined) layers.push({ data: { values: [{ x: v.mark }] }, mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } });
  return { ...vegaBase(v.title, v.note), data: { values }, layer: layers } as TopLevelSpec;
}

/** The points no other point beats on both axes (smaller y, and larger or smaller x), by x. */
export function paretoFront<P extends { x: number; y: number }>(points: readonly P[], better: 'larger-x' | 'smaller-x'): P[] {
  const s = better === 'larger-x' ? 1 : -1;
  return points.filter((p) => !points.some((q) => q !== p && s * q.x >= s * p.x && q.y <= p.y && (s * q.x > s * p.x || q.y < p.y))).sort((a, b) => a.x - b.x);
}
