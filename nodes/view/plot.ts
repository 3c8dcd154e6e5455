import { z } from 'zod';
import { defineNode, type SvdValue, type Tensor } from '../../engine';
import { decimated, show } from './common';

export const viewPlot = defineNode({
  type: 'view.plot',
  title: 'Plot',
  category: 'view',
  description: 'A 2-D chart: singular-value spectrum (log scale, chosen rank marked), convergence trace (log scale), rank sweep (error vs compression, Pareto front) or coefficient-magnitude histogram. Headless: a PNG.',
  typeVersion: 1,
  inputs: [{ name: 'data', type: ['svd', 'tensor', 'table'], doc: 'an SVD (spectrum), a trace or any tensor (convergence, histogram, spectrum of values), a rank-sweep table' }],
  outputs: [],
  params: z.object({
    plot: z.enum(['auto', 'spectrum', 'convergence', 'rank-sweep', 'histogram']).default('auto').describe('auto: spectrum for an SVD, rank-sweep for a table, convergence for a 1-D tensor, histogram otherwise'),
    mark: z.number().int().min(1).optional().describe("spectrum: the rank to mark (default: an SVD's rank)"),
    bins: z.number().int().min(2).max(1000).default(60).describe('histogram: bins of log10 |coefficient|'),
    x: z.string().default('compressionRatio').describe('rank sweep: the column on the x axis'),
    y: z.string().default('relError').describe('rank sweep: the column on the y axis'),
    title: z.string().max(200).optional().describe('plot title (default: the node id and what is plotted)'),
  }),
  async run({ data }, p, ctx) {
    const isTensor = data.kind === 'tensor';
    const isTable = data.kind === 'table';
    const kind = p.plot !== 'auto' ? p.plot : isTable ? 'rank-sweep' : !isTensor ? 'spectrum' : data.ndim === 1 ? 'convergence' : 'histogram';
    const title = (what: string) => p.title ?? `${ctx.nodeId}: ${what}`;
    if (kind === 'rank-sweep') {
      if (!isTable) throw new Error("plot 'rank-sweep' needs the table of a sweep.rank node");
      const t = data as { columns: string[]; rows: number[][] };
      const [xi, yi] = [p.x, p.y].map((c, k) => {
        const i = t.columns.indexOf(c);
        if (i < 0) throw new Error(`param '${k ? 'y' : 'x'}' is '${c}', not a column of the table (columns: ${t.columns.join(', ')})`);
        return i;
      });
      return show(ctx, { kind: 'plot', plot: 'rank-sweep', title: title(`${p.y} vs ${p.x}`), x: t.rows.map((r) => r[xi!]!), y: t.rows.map((r) => r[yi!]!), xLabel: p.x, yLabel: p.y, logY: t.rows.every((r) => r[yi!]! > 0) });
    }
    if (isTable) throw new Error(`plot '${kind}' needs a tensor or an SVD, got a table`);
    if (kind === 'spectrum') {
      // An SVD shows every value it computed, with its rank marked: the cut, and what it left out.
      const svd = !isTensor ? (data as SvdValue) : null;
      // A typed copy sorted natively: 4 bytes an entry, where an Array of a 2048² tensor holds 8 and
      // a comparator sort is ten times slower.
      const s = svd ? (svd.spectrum ?? svd.s).data : Float32Array.from((data as Tensor).data, Math.abs).sort().reverse();
      const mark = p.mark ?? (svd ? svd.s.size : undefined);
      const left = svd?.spectrum ? svd.spectrum.size - svd.s.size : 0;
      const drawn = decimated(s, (i) => i + 1);
      return show(ctx, {
        kind: 'plot',
        plot: 'spectrum',
        title: title(left > 0 ? `singular values (rank ${svd!.s.size} kept of ${svd!.spectrum!.size} computed)` : svd ? 'singular values' : '|values|, sorted'),
        x: drawn.x,
        y: drawn.y,
        xLabel: 'index',
        yLabel: svd ? 'σ' : '|value|',
        logY: s.every((v) => v > 0),
        ...(mark !== undefined ? { mark } : {}),
        ...(drawn.note ? { note: drawn.note } : {}),
      });
    }
    if (!isTensor) throw new Error(`plot '${kind}' needs a tensor, got an SVD`);
    const t = data as Tensor;
    if (kind === 'convergence') {
      const drawn = decimated(t.data, (i) => i + 1);
      return show(ctx, {
        kind: 'plot',
        plot: 'convergence',
        title: title('relative error per iteration'),
        x: drawn.x,
        y: drawn.y,
        xLabel: 'iteration',
        yLabel: 'relative error',
        logY: t.data.every((v) => v > 0),
        ...(drawn.note ? { note: drawn.note } : {}),
      });
    }
    // Histogram of log10 |c| over the nonzero entries.
    const logs = t.data.filter((v) => v !== 0).map((v) => Math.log10(Math.abs(v)));
    if (!logs.length) throw new Error('every coefficient is 0: nothing to histogram');
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of logs) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const w = (hi - lo || 1) / p.bins;
    const counts = new Array<number>(p.bins).fill(0);
    for (const v of logs) counts[Math.min(p.bins - 1, Math.floor((v - lo) / w))]!++;
    return show(ctx, { kind: 'plot', plot: 'histogram', title: title('coefficient magnitudes'), x: counts.map((_, i) => lo + (i + 0.5) * w), y: counts, xLabel: 'log10 |coefficient|', yLabel: 'count', logY: false, ...(t.size > logs.length ? { note: `${t.size - logs.length} zeros left out` } : {}) });
  },
});

