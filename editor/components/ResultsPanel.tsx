// Every metric of the run in one table, exported as CSV or JSON; the viewer nodes' views (the viewer,
// three.js and vega, loads on first use).
import { useReactFlow } from '@xyflow/react';
import { Suspense, lazy, useEffect, useRef, useState, type CSSProperties, type PointerEvent } from 'react';
import { setParams } from '../../engine/graph/edit';
import { signatures, staleReason } from '../stale';
import { useEditor } from '../store';
import { download } from '../files';
import { formatNumber } from './GraphNode';

const ViewPanel = lazy(async () => ({ default: (await import('../../viewer/ViewPanel')).ViewPanel }));

export interface MetricRow {
  node: string;
  port: string;
  metric: string;
  value: number;
  unit: string;
}

/** The metrics of the nodes whose results are current: made by run `runId` (when given) for the
 * graph as it is (`current`: the ids not stale), so the table never mixes runs. */
export function metricRows(nodes: ReturnType<typeof useEditor.getState>['run']['nodes'], runId?: number, current?: (id: string) => boolean): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const [node, r] of Object.entries(nodes)) {
    if ((runId !== undefined && r.runId !== runId) || (current && !current(node))) continue;
    for (const [port, s] of Object.entries(r.summary ?? {})) for (const [metric, m] of Object.entries(s.metrics ?? {})) rows.push({ node, port, metric, value: m.value, unit: m.unit });
  }
  return rows;
}

export const toCsv = (rows: MetricRow[]): string => ['node,port,metric,value,unit', ...rows.map((r) => [r.node, r.port, r.metric, String(r.value), r.unit].map((x) => (/[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x)).join(','))].join('\n') + '\n';

/** A row of model.layers' table picks its layer: clicked, the node's param `layer` names it (its
 * energy curves show on the next run), and the picked row is marked. */
function layerPick(node: string, port: string, label: string | undefined): Record<string, unknown> {
  const st = useEditor.getState();
  const n = st.doc.nodes.find((x) => x.id === node);
  if (!n || n.type !== 'model.layers' || port !== 'table' || !label) return {};
  const layer = label.split(' · ')[0]!;
  return {
    className: n.params.layer === layer ? 'cs-picked' : 'cs-pickable',
    title: `show the energy curves of ${layer} (param layer; run again)`,
    'data-testid': `pick-layer-${node}-${layer}`,
    onClick: () => st.edit((d) => setParams(d, node, { ...n.params, layer }), `param:${node}:layer`),
  };
}

export function ResultsPanel() {
  const run = useEditor((s) => s.run);
  const name = useEditor((s) => s.doc.name);
  const doc = useEditor((s) => s.doc);
  const flow = useReactFlow();
  /** Selects a node a problem is about and brings it into view. */
  const showNode = (id: string) => {
    if (!useEditor.getState().doc.nodes.some((n) => n.id === id)) return;
    useEditor.getState().set({ selected: [id] });
    void flow.fitView({ nodes: [{ id }], maxZoom: 1, duration: 200 });
  };
  const sigs = signatures(doc);
  const isCurrent = (id: string) => staleReason(run.nodes[id]?.made, sigs.get(id)) === null;
  const rows = metricRows(run.nodes, run.id, isCurrent);
  // Results on the canvas that this table leaves out: from an earlier run, or stale.
  const older = Object.entries(run.nodes).filter(([id, r]) => Object.values(r.summary ?? {}).some((s) => s.metrics) && (r.runId !== run.id || !isCurrent(id))).map(([id]) => id);
  const [active, setActive] = useState<string | null>(null);
  const viewIds = Object.keys(run.views);
  const shown = active && run.views[active] ? active : viewIds[0];
  // The panel's height: dragged on its top edge (kept until the page reloads), or collapsed to its header.
  const [height, setHeight] = useState<number | null>(null);
  const [collapsed, setCollapsed] = useState(false);
  const drag = useRef<{ y: number; h: number } | null>(null);
  const section = useRef<HTMLElement>(null);
  const tables = Object.entries(run.nodes).flatMap(([node, r]) => Object.entries(r.summary ?? {}).flatMap(([port, s]) => (s.table ? [{ node, port, table: s.table }] : [])));
  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = { y: e.clientY, h: section.current!.getBoundingClientRect().height };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    setCollapsed(false);
    setHeight(Math.round(Math.min(window.innerHeight * 0.85, Math.max(60, drag.current.h + drag.current.y - e.clientY))));
  };
  // The room a view has: the panel's width, and its height less the header, tabs and a view's
  // controls (the 3-D views size their canvases to it, so none is cut off).
  const [viewBox, setViewBox] = useState({ width: 880, height: 220 });
  useEffect(() => {
    const el = section.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setViewBox({ width: Math.max(240, Math.round(r.width - 24)), height: Math.max(140, Math.round(r.height - 130)) });
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const style = collapsed ? { height: 'auto', maxHeight: 'none' } : height !== null ? { height, maxHeight: 'none' } : undefined;
  return (
    <section className={`cs-results${collapsed ? ' collapsed' : ''}`} data-testid="results" ref={section} style={style}>
      <div className="cs-resize" data-testid="results-resize" title="drag to resize the results" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={() => (drag.current = null)} />
      <header>
        <button type="button" className="cs-collapse" data-testid="results-collapse" aria-expanded={!collapsed} title={collapsed ? 'show the results' : 'hide the results'} onClick={() => setCollapsed((c) => !c)}>
          {collapsed ? '▸' : '▾'}
        </button>
        <b>Results</b> <span className="cs-muted">{run.status === 'idle' ? 'not run yet' : run.status}</span>
        <button type="button" disabled={!rows.length} onClick={() => download(`${name}-metrics.csv`, toCsv(rows), 'text/csv')}>
          CSV
        </button>
        <button type="button" disabled={!rows.length} onClick={() => download(`${name}-metrics.json`, `${JSON.stringify(rows, null, 2)}\n`)}>
          JSON
        </button>
      </header>
      {!collapsed && older.length > 0 && (
        <div className="cs-muted" data-testid="results-older">
          Not listed (results of an earlier run, or stale until the graph runs again): {older.join(', ')}
        </div>
      )}
      {!collapsed && run.problems.length > 0 && (
        <ul className="cs-problems" data-testid="run-problems">
          {run.problems.map((p, i) =>
            p.node !== undefined ? (
              <li key={i} role="button" tabIndex={0} title="select the node" onClick={() => showNode(p.node!)} onKeyDown={(e) => e.key === 'Enter' && showNode(p.node!)}>
                {p.text}
              </li>
            ) : (
              <li key={i}>{p.text}</li>
            ),
          )}
        </ul>
      )}
      {!collapsed && shown && (
        <div className="cs-views" data-testid="views" style={{ '--cs-view-w': `${viewBox.width}px`, '--cs-view-h': `${viewBox.height}px` } as CSSProperties}>
          <nav>
            {viewIds.map((id) => (
              <button type="button" key={id} className={id === shown ? 'active' : ''} onClick={() => setActive(id)} data-testid={`view-tab-${id}`}>
                {id} <small>{run.views[id]!.kind}</small>
              </button>
            ))}
          </nav>
          <Suspense fallback={<div className="cs-muted">loading the viewer…</div>}>
            <ViewPanel key={shown} view={run.views[shown]!} />
          </Suspense>
        </div>
      )}
      {!collapsed && tables.map(({ node, port, table }) => (
        <table className="cs-table" key={`${node}.${port}`} data-testid={`table-${node}-${port}`}>
          <caption>
            {node}.{port}
          </caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i} {...layerPick(node, port, table.labels?.[i])}>
                {row.map((v, j) => (
                  <td key={j} title={String(v)}>
                    {j === 0 && table.labels?.[i] !== undefined ? table.labels[i] : formatNumber(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {!collapsed && run.files.length > 0 && (
        <div className="cs-files" data-testid="run-files">
          Files:{' '}
          {run.files.map((f) => (
            <a key={f.name} href={f.url} download={f.name.split('/').pop()}>
              {f.name} ({f.size.toLocaleString('en-US')} bytes)
            </a>
          ))}
        </div>
      )}
      {!collapsed && (
      <table>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.node}.${r.port}.${r.metric}`}>
              <td>{r.node}</td>
              <td>{r.metric}</td>
              <td title={String(r.value)}>{formatNumber(r.value)}</td>
              <td>{r.unit}</td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
    </section>
  );
}
