import { z } from 'zod';
import { checkFinite, defineNode, formatShape, pluckerLine, type TableValue } from '../../engine';

export const LINE_COLUMNS = ['px', 'py', 'pz', 'dx', 'dy', 'dz', 'mx', 'my', 'mz', 'atInfinity'];

export const pluckerLines = defineNode({
  type: 'plucker.lines',
  title: 'Plücker lines',
  category: 'plucker',
  description: 'Four-dimensional Plücker coordinates as lines of 3-D space: direction d = (p01, p02, p03), moment m = (p23, −p13, p12), and the point of the line closest to the origin d × m / |d|². A line at infinity (|d| ≈ 0) is flagged (atInfinity = 1, point 0), never drawn through the origin. One table row per line, for view.lines and for export.',
  typeVersion: 1,
  inputs: [{ name: 'coordinates', type: 'tensor', doc: '[n, 6] Plücker coordinates (embed.plucker of vectors of length 4), or one [6]' }],
  outputs: [{ name: 'table', type: 'table', doc: 'px py pz (closest point), dx dy dz, mx my mz, atInfinity — one row per line' }],
  params: z.object({
    tol: z.number().min(0).max(1).default(1e-9).describe('a line is at infinity when |d| ≤ tol·‖p‖'),
  }),
  shapes({ coordinates: c }) {
    if (c && c[c.length - 1] !== 6) return { problems: [{ input: 'coordinates', message: `is ${formatShape(c)}; lines need four-dimensional Plücker coordinates, 6 per row (embed.plucker of vectors of length 4)` }] };
    return {};
  },
  run({ coordinates: c }, p) {
    if ((c.ndim !== 1 && c.ndim !== 2) || c.shape[c.ndim - 1] !== 6) throw new Error(`input 'coordinates' is ${formatShape(c.shape)}; lines need four-dimensional Plücker coordinates, [n, 6] (embed.plucker of vectors of length 4)`);
    checkFinite(c, "input 'coordinates'");
    const n = c.size / 6;
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) {
      const l = pluckerLine(c.data, i * 6, p.tol);
      rows.push([...(l.atInfinity ? [0, 0, 0] : l.point), ...l.direction, ...l.moment, l.atInfinity ? 1 : 0]);
    }
    const table: TableValue = { kind: 'table', columns: LINE_COLUMNS, rows };
    return { table };
  },
});
