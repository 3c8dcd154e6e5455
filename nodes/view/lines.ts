import { z } from 'zod';
import { checkFinite, defineNode } from '../../engine';
import { show } from './common';

/** The most lines the view draws. */
export const MAX_LINES = 20_000;
const COLUMNS = ['px', 'py', 'pz', 'dx', 'dy', 'dz', 'mx', 'my', 'mz', 'atInfinity'];

export const viewLines = defineNode({
  type: 'view.lines',
  title: 'Lines (3-D)',
  category: 'view',
  description: `The lines of a plucker.lines table as segments through their points closest to the origin, coloured by index or by a value, with the unit sphere as reference; orbit, and hover for each line's index, Plücker coordinates, direction and moment. Lines at infinity are listed, not drawn. Up to ${MAX_LINES} lines. Editor only (headless runs list it as skipped).`,
  typeVersion: 1,
  inputs: [
    { name: 'lines', type: 'table', doc: 'the table of plucker.lines' },
    { name: 'values', type: 'tensor', doc: '[n] a value per line to colour it by (default: its index)', optional: true },
  ],
  outputs: [],
  params: z.object({ title: z.string().max(200).optional().describe('title (default: the node id and the number of lines)') }),
  async run({ lines, values }, p, ctx) {
    if (COLUMNS.some((c, i) => lines.columns[i] !== c)) throw new Error(`input 'lines' has columns ${lines.columns.join(', ')}; connect the table of a plucker.lines node (${COLUMNS.join(', ')})`);
    const n = lines.rows.length;
    if (n > MAX_LINES) throw new Error(`input 'lines' has ${n} lines, above the ${MAX_LINES} the view draws`);
    if (values && values.size !== n) throw new Error(`input 'values' has ${values.size} entries for ${n} lines; give one value per line`);
    if (values) checkFinite(values, "input 'values'");
    const drawn: number[] = [];
    const coordinates: number[] = [];
    const kept: number[] = [];
    lines.rows.forEach((r, i) => {
      if (r[9] === 1) return;
      drawn.push(...r.slice(0, 9));
      // p from d and m: (p01, p02, p03) = d, (p12, p13, p23) = (m_z, −m_y, m_x).
      coordinates.push(r[3]!, r[4]!, r[5]!, r[8]!, -r[7]!, r[6]!);
      kept.push(i);
    });
    const far = n - kept.length;
    return show(ctx, {
      kind: 'lines',
      title: p.title ?? `${ctx.nodeId}: ${kept.length} lines`,
      lines: drawn,
      coordinates,
      indices: kept,
      ...(values ? { values: kept.map((i) => values.data[i]!) } : {}),
      ...(far ? { note: `${far} line${far > 1 ? 's' : ''} at infinity (d = 0) not drawn: ${lines.rows.flatMap((r, i) => (r[9] === 1 ? [i] : [])).slice(0, 10).join(', ')}${far > 10 ? ', …' : ''}` } : {}),
    });
  },
});
