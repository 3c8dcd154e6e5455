// One node on the canvas: its key settings under the title, typed handles (coloured by port type,
// the type on hover), its state (queued, running with progress and message, done with its
// duration, error in red, blocked with the upstream node named), its results (shapes, ranks,
// parameters, metrics) and a thumbnail. A bypassed node is drawn dimmed with a badge; a collapsed
// one shows only its header (title, state glyph) and its handles.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { SHOW_ETA_FROM_SECONDS, formatDuration } from '../../engine/cost';
import { setCollapsed } from '../../engine/graph/edit';
import { accepts, findNode } from '../../engine/node-api';
import type { NodeStatus } from '../../engine/scheduler/events';
import type { ValueSummary } from '../../engine/values';
import { registry } from '../../nodes';
import { handleFill, PORT_COLORS, type FlowNode } from '../flow';
import { keySettings } from '../key-settings';
import { useEditor } from '../store';
import { signatures, staleReason } from '../stale';
import { useWarnings } from '../warnings';
import { Heatmap, Sparkline } from './Thumbnails';

export const formatNumber = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e6 ? v.toExponential(3) : Number.isInteger(v) ? String(v) : v.toPrecision(5);
};

function SummaryLines({ port, s }: { port: string; s: ValueSummary }) {
  const parts: string[] = [];
  if (s.shape) parts.push(s.shape.join('×'));
  if (s.about) parts.push(s.about);
  if (s.ranks) parts.push(`ranks ${s.ranks.join(',')}`);
  if (s.parameters !== undefined) parts.push(`${s.parameters.toLocaleString('en-US')} params`);
  if (s.norm !== undefined) parts.push(`‖·‖ ${formatNumber(s.norm)}`);
  return (
    <div className="cs-summary">
      {parts.length > 0 && (
        <div>
          <b>{port}</b> {parts.join(' · ')}
        </div>
      )}
      {s.metrics &&
        Object.entries(s.metrics).map(([k, m]) => (
          <div key={k} className="cs-metric" data-metric={`${port}.${k}`} data-value={String(m.value)}>
            {k} = {formatNumber(m.value)}
            {m.unit ? ` ${m.unit}` : ''}
          </div>
        ))}
    </div>
  );
}

/** What a collapsed node shows of its run state, in its header. */
const STATE_GLYPH: Record<NodeStatus, string> = { queued: '…', running: '◔', done: '✓', cached: '✓', error: '✕', blocked: '⊘', bypassed: '↷', cancelled: '■' };

function GraphNodeView({ id, selected }: NodeProps<FlowNode>) {
  const node = useEditor((s) => s.doc.nodes.find((n) => n.id === id));
  const run = useEditor((s) => s.run.nodes[id]);
  const edges = useEditor((s) => s.doc.edges);
  const warnings = useWarnings(id);
  const collapsed = useEditor((s) => !!s.doc.layout.collapsed?.includes(id));
  // A result made for other settings (here or upstream) than the graph's now.
  const stale = useEditor((s) => staleReason(s.run.nodes[id]?.made, signatures(s.doc).get(id)));
  if (!node) return null;
  const def = findNode(registry, node.type);
  const status = run?.status;
  const inputs = def
    ? def.inputs.map((i) => ({ name: i.name, type: accepts(i).length > 1 ? `any of ${accepts(i).join(', ')}` : accepts(i)[0]!, color: handleFill(accepts(i)), optional: !!i.optional }))
    : [...new Set(edges.filter((e) => e.to.node === id).map((e) => e.to.port))].map((name) => ({ name, type: '?', color: '#888', optional: false }));
  const outputs = def ? def.outputs.map((o) => ({ name: o.name, type: o.type, color: PORT_COLORS[o.type] })) : [...new Set(edges.filter((e) => e.from.node === id).map((e) => e.from.port))].map((name) => ({ name, type: '?', color: '#888' }));
  const progress = run?.progress;
  const settings = def ? keySettings(def, node.params) : [];
  const stateText = status ? STATE_GLYPH[status] : undefined;
  return (
    <div
      className={`cs-node${selected ? ' selected' : ''}${def ? '' : ' placeholder'}${node.bypass ? ' bypassed' : ''}${collapsed ? ' collapsed' : ''}${stale ? ' stale' : ''}${warnings ? ' invalid' : ''}`}
      data-testid={`node-${id}`}
      data-status={status ?? 'idle'}
      data-stale={stale ? 'true' : undefined}
    >
      <header>
        <button
          className="cs-collapse nodrag"
          data-testid={`collapse-${id}`}
          aria-label={collapsed ? 'expand node' : 'collapse node'}
          aria-expanded={!collapsed}
          title={collapsed ? 'expand (Alt+C)' : 'collapse (Alt+C)'}
          onClick={(e) => {
            e.stopPropagation();
            useEditor.getState().edit((d) => setCollapsed(d, [id], !collapsed));
          }}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <span className="cs-title">{node.title ?? def?.title ?? node.type}</span>
        <span className="cs-id">{id}</span>
        {node.bypass && (
          <span className="cs-bypass-badge" data-testid={`bypassed-${id}`} title="bypassed: its inputs pass straight through (Ctrl+B to stop)">
            bypassed
          </span>
        )}
        {collapsed && stateText && (
          <span className={`cs-state-glyph ${status}`} data-testid={`glyph-${id}`} title={status === 'error' ? run!.error : status === 'blocked' ? `blocked by ${run!.blockedBy}` : status}>
            {stateText}
          </span>
        )}
        {warnings && (
          <span className="cs-warning" data-testid={`warning-${id}`} title={warnings.join('\n')} aria-label={`${warnings.length} problem${warnings.length === 1 ? '' : 's'}: ${warnings.join('; ')}`}>
            ⚠ {warnings.length}
          </span>
        )}
      </header>
      {!collapsed && settings.length > 0 && (
        <div className="cs-subtitle" data-testid={`subtitle-${id}`} title={settings.join('\n')}>
          {settings.slice(0, 3).join(' · ')}
        </div>
      )}
      {!def && <div className="cs-error">unknown type {node.type}: kept with its params, cannot run</div>}
      <div className="cs-ports">
        <div className="cs-inputs">
          {inputs.map((p) => (
            <div className="cs-port in" key={p.name} title={`${p.name}: ${p.type}${p.optional ? ' (optional)' : ''}`}>
              <Handle type="target" position={Position.Left} id={p.name} style={{ background: p.color }} title={`${p.name}: ${p.type}${p.optional ? ' (optional)' : ''}`} data-testid={`in-${id}-${p.name}`} />
              {p.name}
            </div>
          ))}
        </div>
        <div className="cs-outputs">
          {outputs.map((p) => (
            <div className="cs-port out" key={p.name} title={`${p.name}: ${p.type}`}>
              {p.name}
              <Handle type="source" position={Position.Right} id={p.name} style={{ background: p.color }} title={`${p.name}: ${p.type}`} data-testid={`out-${id}-${p.name}`} />
            </div>
          ))}
        </div>
      </div>
      {!collapsed && status && (
        <div className={`cs-state ${status}`} data-testid={`state-${id}`}>
          {stale && status !== 'running' && status !== 'queued' && (
            <div className="cs-stale" data-testid={`stale-${id}`} title="run the graph again to bring this result up to date">
              {stale}
            </div>
          )}
          {status === 'running' && progress ? (
            <>
              <div className="cs-bar">
                <div style={{ width: `${(100 * progress.value) / Math.max(1, progress.max)}%` }} />
              </div>
              <div>
                {progress.message ?? `${progress.value} / ${progress.max}`}
                {progress.etaSeconds !== undefined && progress.etaSeconds >= SHOW_ETA_FROM_SECONDS ? ` · ${formatDuration(progress.etaSeconds)} left` : ''}
              </div>
            </>
          ) : status === 'done' ? (
            `done in ${run.durationMs! < 1000 ? `${run.durationMs!.toFixed(0)} ms` : `${(run.durationMs! / 1000).toFixed(2)} s`}`
          ) : status === 'error' ? (
            <span className="cs-error nowheel">{run.error}</span>
          ) : status === 'blocked' ? (
            `blocked by ${run.blockedBy}`
          ) : (
            status
          )}
        </div>
      )}
      {!collapsed && (run?.summary || run?.previews) && (status === 'done' || status === 'cached') && (
        // Results scroll inside a bounded box (the wheel scrolls it, not the canvas): a run never
        // grows a node over its neighbours.
        <div className="cs-node-results nowheel" data-testid={`results-${id}`}>
          {run.summary && Object.entries(run.summary).map(([port, s]) => <SummaryLines key={port} port={port} s={s} />)}
          {run.previews && (
            <div className="cs-previews">
              {Object.entries(run.previews).map(([port, p]) => (p.kind === 'heatmap' ? <Heatmap key={port} preview={p} /> : <Sparkline key={port} preview={p} />))}
            </div>
          )}
        </div>
      )}
    </div>
  );
}

export const GraphNode = memo(GraphNodeView);
