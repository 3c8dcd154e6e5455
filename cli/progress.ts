// Terminal reporting of run events: live bars per node on a terminal (cli-progress), one plain line
// per finished node otherwise (logs, CI), and raw NDJSON with --json.
import cliProgress from 'cli-progress';
import { SHOW_ETA_FROM_SECONDS, formatDuration, printable, printableJson, type RunEvent, type ValueSummary } from '../engine';

export type Reporter = { onEvent(e: RunEvent): void; stop(): void };

export function jsonReporter(write: (line: string) => void): Reporter {
  return { onEvent: (e) => write(`${printableJson(JSON.stringify(e, finite))}\n`), stop() {} };
}

/** JSON.stringify replacer: JSON has no Infinity/NaN, so they travel as strings. */
export function finite(_k: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

export function describeSummary(summary: Record<string, ValueSummary>): string {
  return Object.entries(summary)
    .map(([port, s]) => {
      if (s.metrics) return Object.entries(s.metrics).map(([k, m]) => `${k}=${formatNumber(m.value)}${m.unit ? ` ${m.unit}` : ''}`).join(', ');
      const parts = [s.shape ? `[${s.shape.join('×')}]` : '', s.ranks ? `ranks (${s.ranks.join(',')})` : '', s.norm !== undefined ? `‖·‖F=${formatNumber(s.norm)}` : '', s.about ?? ''];
      return `${port} ${parts.filter(Boolean).join(' ')}`;
    })
    .join('; ');
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

const ms = (d: number): string => (d < 1000 ? `${d.toFixed(0)} ms` : `${(d / 1000).toFixed(2)} s`);

export function lineReporter(write: (line: string) => void, types: Map<string, string>): Reporter {
  const label = (id: string): string => `${id} (${types.get(id)})`;
  return {
    onEvent(e) {
      switch (e.type) {
        case 'execution_cached':
          write(`cached   ${e.nodes.join(', ')}\n`);
          break;
        case 'executing':
          // A node estimated to take a while says so when it starts (there are no bars here).
          if ((e.estimateSeconds ?? 0) >= SHOW_ETA_FROM_SECONDS) write(`running  ${label(e.node)}  estimated ${formatDuration(e.estimateSeconds!)} on one core\n`);
          break;
        case 'executed':
          write(`done     ${label(e.node)}  ${ms(e.durationMs)}  ${describeSummary(e.summary)}\n`);
          for (const s of Object.values(e.summary)) if (s.table) write(formatTable(s.table));
          break;
        case 'execution_error':
          write(`error    ${e.message}\n`);
          break;
        case 'blocked':
          write(`blocked  ${label(e.node)}: upstream node '${e.by}' failed\n`);
          break;
        case 'cancelled':
          write(`cancel   ${label(e.node)}\n`);
          break;
        case 'bypassed':
          write(`bypassed ${label(e.node)}: its inputs passed on\n`);
          break;
      }
    },
    stop() {},
  };
}

export function barReporter(types: Map<string, string>, write: (line: string) => void): Reporter {
  // Bars are clipped to the terminal's width; errors are repeated in full once the bars stop.
  const errors: string[] = [];
  const multi = new cliProgress.MultiBar(
    { format: ' {bar} {node} {status}', barsize: 24, hideCursor: true, clearOnComplete: false, stopOnComplete: false, autopadding: true },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const bar = (node: string) => bars.get(node) ?? bars.set(node, multi.create(1, 0, { node: printable(`${node} (${types.get(node)})`), status: 'queued' })).get(node)!;
  return {
    onEvent(e) {
      switch (e.type) {
        case 'queued':
          bar(e.node);
          break;
        case 'execution_cached':
          for (const n of e.nodes) bar(n).update(1, { status: 'cached' });
          break;
        case 'executing':
          bar(e.node).update(0, { status: (e.estimateSeconds ?? 0) >= SHOW_ETA_FROM_SECONDS ? `running, estimated ${formatDuration(e.estimateSeconds!)}` : 'running' });
          break;
        case 'progress':
          bar(e.node).setTotal(Math.max(1, e.max));
          bar(e.node).update(e.value, { status: printable(`${e.message ?? ''}${e.etaSeconds !== undefined && e.etaSeconds >= SHOW_ETA_FROM_SECONDS ? ` · ${formatDuration(e.etaSeconds)} left` : ''}`) });
          break;
        case 'executed':
          bar(e.node).setTotal(1);
          bar(e.node).update(1, { status: `done ${ms(e.durationMs)}  ${describeSummary(e.summary)}` });
          break;
        case 'execution_error':
          bar(e.node).update({ status: printable(`ERROR ${e.message}`) });
          errors.push(e.message);
          break;
        case 'blocked':
          bar(e.node).update({ status: printable(`blocked by '${e.by}'`) });
          break;
        case 'cancelled':
          bar(e.node).update({ status: 'cancelled' });
          break;
        case 'bypassed':
          bar(e.node).update(1, { status: 'bypassed' });
          break;
      }
    },
    stop() {
      multi.stop();
      for (const m of errors) write(`error    ${m}\n`);
    },
  };
}

/** A small table as aligned text, indented under its node's line. */
export function formatTable(t: { columns: string[]; rows: number[][]; labels?: string[] }): string {
  const cells = [t.columns, ...t.rows.map((r, i) => r.map((v, c) => (c === 0 && t.labels?.[i] !== undefined ? t.labels[i]! : formatNumber(v))))];
  const widths = t.columns.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  return cells.map((row) => `         ${row.map((v, c) => v.padStart(widths[c]!)).join('  ')}\n`).join('');
}
