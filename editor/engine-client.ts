// The UI side of the worker protocol: starts the engine worker, sends runs (with the bytes of the
// files the graph names, from IndexedDB), and turns the worker's events into run state.
import { findNode } from '../engine/node-api';
import { fileRefs } from '../engine/io/embedded';
import { resolveParams } from '../engine/graph/params';
import type { GraphDoc } from '../engine/graph/schema';
import { describeProblem } from '../engine/graph/problems';
import { registry } from '../nodes';
import type { CorespaceDb } from '../storage/db';
import type { FromWorker, RunFile, ToWorker } from './protocol';
import { signatures, type Signature } from './stale';
import { useEditor, type NodeRun, type RunState } from './store';

const CANCEL_GRACE_MS = 3000;

export class EngineClient {
  private worker: Worker;
  private runId = 0;
  private cancelFlag: Int32Array | null = null;

  constructor(private readonly db: CorespaceDb) {
    this.worker = this.start();
  }

  private start(): Worker {
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'corespace engine' });
    w.onmessage = ({ data }: MessageEvent<FromWorker>) => this.receive(data);
    w.onerror = (e) => this.restart(`the engine worker failed (${e.message || 'it crashed'}); it was restarted and its cache is empty`);
    const prefer = new URLSearchParams(location.search).get('backend') === 'cpu' ? 'cpu' : 'auto';
    w.postMessage({ type: 'init', preferBackend: prefer } satisfies ToWorker);
    return w;
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  /** Runs the graph (or `targets` and their ancestors). */
  async run(doc: GraphDoc, targets?: string[]): Promise<void> {
    const id = ++this.runId;
    this.madeFor = signatures(doc);
    const files = await this.filesOf(doc);
    // ?cancel=restart turns the shared flag off (what a page without cross-origin isolation gets).
    const flagged = new URLSearchParams(location.search).get('cancel') !== 'restart';
    const shared = flagged && typeof SharedArrayBuffer !== 'undefined' && crossOriginIsolated ? new SharedArrayBuffer(4) : undefined;
    this.cancelFlag = shared ? new Int32Array(shared) : null;
    this.flush();
    const prior = useEditor.getState().run.nodes;
    // Keep the last results on screen until the node runs again.
    const nodes: Record<string, NodeRun> = Object.fromEntries(Object.entries(prior).map(([k, v]) => [k, { ...v }]));
    for (const f of useEditor.getState().run.files) URL.revokeObjectURL(f.url);
    useEditor.getState().set({ run: { id, status: 'running', nodes, problems: [], files: [], views: useEditor.getState().run.views } });
    this.post({ type: 'run', runId: id, graph: doc, files, maxSeconds: useEditor.getState().maxMinutes * 60, ...(targets ? { targets } : {}), ...(shared ? { cancelFlag: shared } : {}) });
  }

  /** Cancels within one iteration (the shared flag); if the run is still going after CANCEL_GRACE_MS
   * (no cross-origin isolation, or a node that never reports), the worker is replaced. */
  cancel(): void {
    if (this.cancelFlag) Atomics.store(this.cancelFlag, 0, 1);
    this.post({ type: 'cancel', runId: this.runId });
    const id = this.runId;
    setTimeout(() => {
      const { run } = useEditor.getState();
      if (run.id === id && run.status === 'running') this.restart('cancelled by restarting the engine worker (its cache is empty)', 'interrupted');
    }, CANCEL_GRACE_MS);
  }

  /** A fresh worker; the run that was going ends with `status` and the running nodes as cancelled. */
  private restart(message: string, status: 'failed' | 'interrupted' = 'failed'): void {
    this.worker.terminate();
    this.flush();
    const { run } = useEditor.getState();
    const nodes = Object.fromEntries(Object.entries(run.nodes).map(([k, v]) => [k, v.status === 'running' || v.status === 'queued' ? { ...v, status: 'cancelled' as const, progress: undefined } : v]));
    useEditor.getState().set({ run: { ...run, status, nodes, problems: [...run.problems, { text: message }] } });
    this.runId++;
    this.worker = this.start();
  }

  private async filesOf(doc: GraphDoc): Promise<Record<string, RunFile>> {
    const refs = fileRefs(doc);
    const out: Record<string, RunFile> = {};
    for (const node of doc.nodes) {
      const def = findNode(registry, node.type);
      if (!def?.files) continue;
      const r = resolveParams(def, node.params, node.id, []);
      if (!r.ok) continue;
      for (const path of def.files(r.params as never)) {
        const ref = refs[path];
        if (!ref || ref.base64 !== undefined) continue;
        const row = await this.db.files.get(ref.sha256);
        if (row) out[path] = { bytes: row.bytes, hash: row.hash };
      }
    }
    return out;
  }

  /** The signatures of the graph the current run was started on. */
  private madeFor = new Map<string, Signature>();

  private receive(m: FromWorker): void {
    const st = useEditor.getState();
    if (m.type === 'ready') {
      st.set({ backend: { name: m.backend, adapter: m.adapter, ...(m.notice ? { notice: m.notice } : {}), threads: m.threads } });
      return;
    }
    if (m.runId !== st.run.id) return;
    const run = this.pending ?? { ...st.run, nodes: { ...st.run.nodes } };
    const patch = (node: string, p: Partial<NodeRun>) => (run.nodes[node] = { ...(run.nodes[node] ?? { status: 'queued' }), ...p });
    // A result (or an error) of this run, for the graph as it was when the run started.
    const made = (node: string) => ({ runId: run.id, made: this.madeFor.get(node) });
    switch (m.type) {
      case 'event': {
        const e = m.event;
        if (e.type === 'queued') patch(e.node, { status: 'queued', progress: undefined, error: undefined, blockedBy: undefined });
        else if (e.type === 'executing') patch(e.node, { status: 'running', progress: undefined, error: undefined });
        else if (e.type === 'progress') patch(e.node, { progress: { value: e.value, max: e.max, ...(e.message !== undefined ? { message: e.message } : {}), ...(e.etaSeconds !== undefined ? { etaSeconds: e.etaSeconds } : {}) } });
        else if (e.type === 'executed') patch(e.node, { status: 'done', durationMs: e.durationMs, summary: e.summary, progress: undefined, ...made(e.node) });
        else if (e.type === 'execution_cached') for (const n of e.nodes) patch(n, { status: 'cached', ...made(n) });
        else if (e.type === 'execution_error') patch(e.node, { status: 'error', error: e.message, progress: undefined, ...made(e.node) });
        else if (e.type === 'blocked') patch(e.node, { status: 'blocked', blockedBy: e.by });
        else if (e.type === 'cancelled') patch(e.node, { status: 'cancelled', progress: undefined });
        else if (e.type === 'bypassed') patch(e.node, { status: 'bypassed', progress: undefined, error: undefined, summary: undefined, ...made(e.node) });
        break;
      }
      case 'cached':
        patch(m.node, { status: 'cached', summary: m.summary, ...made(m.node) });
        break;
      case 'previews':
        patch(m.node, { previews: m.previews });
        break;
      case 'view':
        run.views = { ...run.views, [m.node]: m.view };
        break;
      case 'file':
        run.files = [...run.files, { name: m.name, url: URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>])), size: m.bytes.length }];
        break;
      case 'invalid':
        run.status = 'invalid';
        // In words, with the node each is about (the list selects it on a click); no JSON paths.
        run.problems = m.problems.map((p) => ({ ...(p.nodeId !== undefined ? { node: p.nodeId } : {}), text: describeProblem(p) }));
        break;
      case 'finished':
        run.status = m.status;
        if (st.backend && st.backend.threads !== m.threads) st.set({ backend: { ...st.backend, threads: m.threads } });
        break;
      case 'crashed':
        run.status = 'failed';
        run.problems = [{ text: m.message }];
        break;
    }
    // Progress can arrive hundreds of times a second: the UI takes the state at most every 50 ms
    // (at once when the run ends), so it stays responsive while a fast loop reports.
    this.pending = run;
    if (m.type === 'finished' || m.type === 'invalid' || m.type === 'crashed') this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 50);
  }

  private pending: RunState | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending) useEditor.getState().set({ run: this.pending });
    this.pending = null;
  }
}
