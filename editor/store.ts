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
import type { Signature } from './stale';
import { currentCeiling, keepCeiling } from './ceiling';

export interface NodeRun {
  status: NodeStatus;
  progress?: { value: number; max: number; message?: string; etaSeconds?: number };
  durationMs?: number;
  error?: string;
  blockedBy?: string;
  summary?: Record<string, ValueSummary>;
  previews?: Record<string, Preview>;
  /** The run that made the result shown, and the node's signature then (stale.ts): a result
   * whose signature no longer matches the graph is marked stale. */
  runId?: number;
  made?: Signature;
}

export interface RunProblem {
  node?: string;
  text: string;
}

export interface RunState {
  id: number;
  status: 'idle' | 'running' | 'success' | 'failed' | 'interrupted' | 'invalid';
  nodes: Record<string, NodeRun>;
  /** Why the run did not start or stopped: each in words, with the node it is about. */
  problems: RunProblem[];
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
  /** The engine's backend, and the CPU threads its products run on (the worker's and those started). */
  backend: { name: string; adapter: string; notice?: string; threads: number } | null;
  /** A short message shown over the canvas (a refused connection, a paste that failed). */
  notice: string | null;
  /** Problems of the last import that was refused (the open graph stayed as it was). */
  importProblems: string[] | null;
  /** The heading of that list, when it is not an import that was refused (a damaged share link,
   * a library row that cannot be opened). */
  importTitle?: string | null;
  saved: 'saved' | 'saving' | 'error';
  /** Whether the canvas shows its minimap (the user may hide it: it covers a corner). */
  minimap: boolean;
  /** The time ceiling (engine/cost.ts): a node estimated to run longer, in minutes, is refused
   * with its estimate; Infinity for none. Kept in localStorage across sessions. */
  maxMinutes: number;
  /** Inspector fields whose text is invalid right now ("node.param" → why): the graph keeps the
   * value from before that round of typing, and Run refuses while any is listed. */
  invalidFields: Record<string, string>;
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

/** Sets the time ceiling and keeps it for the next session. */
export function setCeiling(minutes: number): void {
  keepCeiling(minutes);
  useEditor.getState().set({ maxMinutes: minutes });
}
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
  maxMinutes: currentCeiling(),
  invalidFields: {},
  edit(next, mergeKey) {
    const { doc, past } = get();
    const value = typeof next === 'function' ? next(doc) : next;
    if (value === doc) return;
    const now = Date.now();
    if (mergeKey && lastEdit.key === mergeKey && now - lastEdit.at < 1000 && past.length) {
      lastEdit.at = now;
      // Typing that ends where it began (a field turned invalid goes back to its value at focus)
      // leaves no step in the history.
      const before = past[past.length - 1]!;
      if (JSON.stringify(value) === JSON.stringify(before)) {
        // (the next edit starts a step of its own, not merged into the one before)
        lastEdit.key = '';
        set({ doc: before, past: past.slice(0, -1), future: [], ...selectionIn(before, get()) });
      } else set({ doc: value, future: [], ...selectionIn(value, get()) });
      return;
    }
    lastEdit.key = mergeKey ?? '';
    lastEdit.at = now;
    set({ doc: value, past: [...past.slice(-HISTORY + 1), doc], future: [], ...selectionIn(value, get()) });
  },
  setTransient(next) {
    set({ doc: next, ...selectionIn(next, get()) });
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
    lastEdit.key = '';
    set({ doc: prev, past: past.slice(0, -1), future: [doc, ...future], ...selectionIn(prev, get()) });
  },
  redo() {
    const { doc, past, future } = get();
    const next = future[0];
    if (!next) return;
    lastEdit.key = '';
    set({ doc: next, past: [...past, doc], future: future.slice(1), ...selectionIn(next, get()) });
  },
  open(graphId, doc) {
    set({ graphId, doc, past: [], future: [], selected: [], selectedFrames: [], selectedEdges: [], invalidFields: {}, run: idleRun(), importProblems: null, notice: null });
  },
  set(partial) {
    set(partial);
  },
}));

/**
 * The selection kept to what exists in `doc`: after an undo removed a dropped node, it must not
 * stay selected (the inspector then showed "2 nodes selected" for every later click, and the
 * canvas could not clear it). Returns only the parts that change, so an unchanged selection keeps
 * its identity.
 */
export function selectionIn(doc: GraphDoc, st: Pick<EditorState, 'selected' | 'selectedFrames' | 'selectedEdges' | 'invalidFields'>): Partial<EditorState> {
  const out: Partial<EditorState> = {};
  const nodes = new Set(doc.nodes.map((n) => n.id));
  if (st.selected.some((id) => !nodes.has(id))) out.selected = st.selected.filter((id) => nodes.has(id));
  const frames = new Set((doc.layout.frames ?? []).map((f) => f.id));
  if (st.selectedFrames.some((id) => !frames.has(id))) out.selectedFrames = st.selectedFrames.filter((id) => frames.has(id));
  const edges = new Set(doc.edges.map((e) => e.id));
  if (st.selectedEdges.some((id) => !edges.has(id))) out.selectedEdges = st.selectedEdges.filter((id) => edges.has(id));
  const gone = Object.keys(st.invalidFields).filter((k) => !nodes.has(k.slice(0, k.lastIndexOf('.'))));
  if (gone.length) out.invalidFields = Object.fromEntries(Object.entries(st.invalidFields).filter(([k]) => !gone.includes(k)));
  return out;
}

/** Adds a node of `type` at a canvas position as one undo step and selects it. */
export function addAndSelect(type: string, at: { x: number; y: number }): string {
  const st = useEditor.getState();
  const r = addNode(st.doc, type, at);
  st.edit(r.doc);
  st.set({ selected: [r.id] });
  return r.id;
}
