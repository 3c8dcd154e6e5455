// A heatmap of a matrix (or a 2-D slice): viridis for magnitudes, a diverging map centred on 0 for
// signed values (Vega's "redblue", reversed so negative is blue).
import type { TopLevelSpec } from 'vega-lite';
import { peakAbs } from '../colormaps';
import { vegaBase, vegaView, type ViewKind } from './kind';

export interface HeatmapView {
  kind: 'heatmap';
  title: string;
  rows: number;
  cols: number;
  /** Row-major, rows × cols. */
  values: number[];
  /** Whether the values have both signs (then the map diverges around 0). */
  signed: boolean;
  /** Axis titles (default: "row", "column") and the index of the first row and column (0). */
  xLabel?: string;
  yLabel?: string;
  origin?: number;
  note?: string;
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    heatmap: HeatmapView;
  }
}

export const heatmapView: ViewKind<HeatmapView> = {
  kind: 'heatmap',
  doc: 'a matrix or a 2-D slice as coloured cells, with a colour bar; a PNG in headless runs',
  ...vegaView(heatmapSpec),
};

export function heatmapSpec(v: HeatmapView): TopLevelSpec {
  const o = v.origin ?? 0;
  const values: { r: number; c: number; v: number }[] = [];
  for (let r = 0; r < v.rows; r++) for (let c = 0; c < v.cols; c++) values.push({ r: r + o, c: c + o, v: v.values[r * v.cols + c]! });
  const peak = peakAbs(v.values);
  const aspect = v.rows / v.cols;
  return {
    ...vegaBase(v.title, v.note),
    width: aspect > 1 ? Math.round(360 / aspect) : 360,
    height: aspect > 1 ? 360 : Math.max(24, Math.round(360 * aspect)),
    data: { values },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: 'c', type: 'ordinal', title: `${v.xLabel ?? 'column'} (${v.cols})`, axis: { labelOverlap: true, labelAngle: 0, values: ticks(v.cols, o) } },
      y: { field: 'r', type: 'ordinal', title: `${v.yLabel ?? 'row'} (${v.rows})`, axis: { labelOverlap: true, values: ticks(v.rows, o) } },
      color: v.signed
        ? { field: 'v', type: 'quantitative', title: 'value', scale: { scheme: 'redblue', reverse: true, domain: [-peak, peak] } }
        : { field: 'v', type: 'quantitative', title: 'value', scale: { scheme: 'viridis' } },
    },
    config: { axis: { grid: false }, view: { stroke: null }, legend: { gradientLength: 260 } },
  } as TopLevelSpec;
}

/** About six evenly spaced integer ticks over origin … origin + n − 1. */
function ticks(n: number, origin: number): number[] {
  const step = Math.max(1, Math.ceil(n / 6));
  return Array.from({ length: Math.ceil(n / step) }, (_, i) => origin + i * step);
}
