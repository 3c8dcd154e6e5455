// A small numeric table: a rank sweep's rows, one per value tried.
import type { ValueKind } from './kind';
import { sparkline } from './preview';

export interface TableValue {
  kind: 'table';
  columns: string[];
  rows: number[][];
  /** How each row's first cell reads, where a number would not say it: per-mode ranks "(4, 4, 2)"
   * (the number in `rows` is their product, the x coordinate of a plot). */
  labels?: string[];
}

export const tableKind = {
  kind: 'table',
  doc: 'a small numeric table, one row per case (a rank sweep: value, relError, params, compressionRatio)',
  color: '#a855f7',
  example: (): TableValue => ({ kind: 'table', columns: ['rank', 'relError'], rows: [[1, 0.5], [2, 0.1], [4, 0.01]] }),
  summary: (t) => ({ shape: [t.rows.length, t.columns.length], table: { columns: t.columns, rows: t.rows, ...(t.labels ? { labels: t.labels } : {}) } }),
  tensors: () => [],
  // The first measured column (after the x column) down the rows: a sweep's error curve.
  preview: async (t, port) => {
    const col = t.columns.length > 1 ? 1 : 0;
    return t.columns.length ? sparkline(t.rows.map((r) => r[col] ?? NaN), `${port} ${t.columns[col]}`) : null;
  },
} satisfies ValueKind<'table', TableValue>;
