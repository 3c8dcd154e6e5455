// A 3-D scatter of points with labels (a multidimensional-scaling embedding of subspaces, or any
// [s, 3] tensor): orbit and hover in the editor; headless, its best 2-D projection (the first two
// coordinates, which MDS orders by variance) as a Vega-Lite scatter.
import type { TopLevelSpec } from 'vega-lite';
import { vegaBase, type ViewKind } from './kind';

export interface PointsView {
  kind: 'points';
  title: string;
  /** n × 3, row-major. */
  points: number[];
  /** One per point (default: its index). */
  labels?: string[];
  /** One per point: colours them (viridis); default, by index. */
  values?: number[];
  note?: string;
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    points: PointsView;
  }
}

export function pointsSpec(v: PointsView): TopLevelSpec {
  const n = v.points.length / 3;
  const data = Array.from({ length: n }, (_, i) => ({ x: v.points[3 * i]!, y: v.points[3 * i + 1]!, label: v.labels?.[i] ?? String(i), c: v.values?.[i] ?? i }));
  const color = { field: 'c', type: 'quantitative' as const, title: v.values ? 'value' : 'index', scale: { scheme: 'viridis' } };
  return {
    ...vegaBase(v.title, v.note ?? 'the first two coordinates (a projection of the 3-D view)'),
    data: { values: data },
    layer: [
      { mark: { type: 'point', filled: true, size: 70, tooltip: true }, encoding: { x: { field: 'x', type: 'quantitative', title: 'coordinate 1' }, y: { field: 'y', type: 'quantitative', title: 'coordinate 2' }, color } },
      { mark: { type: 'text', dx: 8, align: 'left', fontSize: 10 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

export const pointsView: ViewKind<PointsView> = {
  kind: 'points',
  doc: 'a 3-D scatter of labelled points (an MDS embedding of subspaces) with orbit and hover; headless, a 2-D projection PNG',
  component: async () => (await import('../Points3D')).Points3D,
  headless: (view) => ({ spec: pointsSpec(view) }),
};
