// The editor's state: the graph document (the only thing saved), its undo/redo history, and UI
// state kept beside it (selection, measured sizes, run states, notices). React Flow's nodes are
// derived from these by one selector (flow.ts); no callback or class instance enters the document.
import { create } from 'zustand';
import { addNode } from '../engine/graph/edit';
import type { GraphDoc } from '../engine/graph/schema';
import type { NodeStatus } from '../engine/scheduler/events';
import type { ValueSummary } from '../engine/values';
import type { Preview } from './protocol';
import type { ViewRequest } from '../engine/node-api';

export interface NodeRun {
  status: NodeStatus;
  progress?: { value: number; max: number; message?: string };
  durationMs?: number;
  error?: string;
  blockedBy?: string;
  summary?: Record<string, ValueSummary>;
  previews?: Record<string, Preview>;
}

export interface RunState {
  id: number;
  status: 'idle' | 'running' | 'success' | 'failed' | 'interrupted' | 'invalid';
  nodes: Record<string, NodeRun>;
  problems: string[];
  /** Files the run's sink nodes wrote, as object URLs. */
  files: { name: string; url: string; size: number }[];
  /** Views of the viewer nodes, by node id. */
  views: Record<string, ViewRequest>;
}

export interface EditorState {
  graphId: string;
  doc: GraphDoc;
  past: GraphDoc[];
  future: GraphDoc[];
  selected: string[];
  /** Selected frames (layout.frames ids), kept apart from the nodes: the inspector, copy and
   * bypass act on nodes only. */
  selectedFrames: string[];
  /** Selected wires (edge ids): Delete removes them. */
  selectedEdges: string[];
  measured: Record<string, { width: number; height: number }>;
  run: RunState;
  backend: { name: string; adapter: string; notice?: string } | null;
  /** A short message shown over the canvas (a refused connection, a paste that failed). */
  notice: string | null;
  /** Problems of the last import that was refused (the open graph stayed as it was). */
  importProblems: string[] | null;
  saved: 'saved' | 'saving' | 'error';
  /** Whether the canvas shows its minimap (the user may hide it: it covers a corner). */
  minimap: boolean;
  /** Replaces the document as one undoable step; consecutive edits with the same `mergeKey`
   * (typing into one field) within a second make one step. */
  edit(next: GraphDoc | ((doc: GraphDoc) => GraphDoc), mergeKey?: string): void;
  /** Replaces the document without a history step (positions while dragging). */
  setTransient(next: GraphDoc): void;
  /** Pushes `before` as one history step (the state when a drag began). */
  commitFrom(before: GraphDoc): void;
  undo(): void;
  redo(): void;
  /** Opens another graph (history cleared). */
  open(graphId: string, doc: GraphDoc): void;
  set(partial: Partial<EditorState>): void;
}

const HISTORY = 200;
const lastEdit = { key: '', at: 0 };
const idleRun = (): RunState => ({ id: 0, status: 'idle', nodes: {}, problems: [], files: [], views: {} });

export const emptyGraph = (name = 'untitled'): GraphDoc => ({ format: 'corespace.graph', version: 1, name, nodes: [], edges: [], layout: { positions: {} }, meta: {} });

export const useEditor = create<EditorState>()((set, get) => ({
  graphId: '',
  doc: emptyGraph(),
  past: [],
  future: [],
  selected: [],
  selectedFrames: [],
  selectedEdges: [],
  measured: {},
  run: idleRun(),
  backend: null,
  notice: null,
  importProblems: null,
  saved: 'saved',
  minimap: true,
  edit(next, mergeKey) {
    const { doc, past } = get();
    const value = typeof next === 'function' ? next(doc) : next;
    if (value === doc) return;
    const now = Date.now();
    if (mergeKey && lastEdit.key === mergeKey && now - lastEdit.at < 1000 && past.length) {
      lastEdit.at = now;
      set({ doc: value, future: [] });
      return;
    }
    lastEdit.key = mergeKey ?? '';
    lastEdit.at = now;
    set({ doc: value, past: [...past.slice(-HISTORY + 1), doc], future: [] });
  },
  setTransient(next) {
    set({ doc: next });
  },
  commitFrom(before) {
    const { doc, past } = get();
    if (before === doc) return;
    set({ past: [...past.slice(-HISTORY + 1), before], future: [] });
  },
  undo() {
    const { doc, past, future } = get();
    const prev = past[past.length - 1];
    if (!prev) return;
    set({ doc: prev, past: past.slice(0, -1), future: [doc, ...future] });
  },
  redo() {
    const { doc, past, future } = get();
    const next = future[0];
    if (!next) return;
    set({ doc: next, past: [...past, doc], future: future.slice(1) });
  },
  open(graphId, doc) {
    set({ graphId, doc, past: [], future: [], selected: [], selectedFrames: [], selectedEdges: [], run: idleRun(), importProblems: null });
  },
  set(partial) {
    set(partial);
  },
}));

/** Adds a node of `type` at a canvas position as one undo step and selects it. */
export function addAndSelect(type: string, at: { x: number; y: number }): string {
  const st = useEditor.getState();
  const r = addNode(st.doc, type, at);
  st.edit(r.doc);
  st.set({ selected: [r.id] });
  return r.id;
}
