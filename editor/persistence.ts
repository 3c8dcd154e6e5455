// Autosave and the graph library: every change of the document is written to IndexedDB at once
// (a reload or a crashed tab loses nothing), a version is kept at most every VERSION_EVERY ms (the
// last VERSIONS_KEPT per graph), and the open graph's id is remembered for the next visit.
import { loadGraph } from '../engine/graph/load';
import { describeProblem } from '../engine/graph/problems';
import type { GraphDoc } from '../engine/graph/schema';
import { registry } from '../nodes';
import { db } from './db-instance';
import { DEFAULT_EXAMPLE, loadExample } from './examples';
import { importText } from './files';
import { graphFromFragment } from './share';
import { useEditor } from './store';

const VERSION_EVERY = 15_000;
const newId = () => `g-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Opens `doc` as a new graph of the library; resolves to its id. */
export async function openAsNew(doc: GraphDoc): Promise<string> {
  const id = newId();
  await db.saveGraph(id, doc);
  await db.addVersion(id, doc);
  await db.setSetting('current', id);
  useEditor.getState().open(id, doc);
  return id;
}

/** Opens an example. The library keeps one entry per example: opening it again reopens that entry
 * while it still holds the example untouched. Once edited, the entry is the user's work and stays
 * as it is; the example then opens fresh in a new entry, which becomes the example's. */
export async function openExample(name: string): Promise<void> {
  const doc = await loadExample(name);
  const key = `example:${name}`;
  const id = await db.getSetting<string>(key);
  const row = id ? await db.graphs.get(id) : undefined;
  // The entry it made before, unchanged or only moved about (layout), opens again; one whose
  // settings were edited stays the user's, and the example opens beside it under a free name.
  const sameGraph = (a: unknown, b: GraphDoc) => JSON.stringify({ ...(a as GraphDoc), layout: null }) === JSON.stringify({ ...b, layout: null });
  if (row && sameGraph(row.doc, doc) && (await openGraph(row.id))) return;
  const names = new Set((await db.graphs.toArray()).map((g) => (g.doc as { name?: unknown }).name));
  let fresh = doc.name;
  for (let i = 2; names.has(fresh); i++) fresh = `${doc.name} (${i})`;
  await db.setSetting(key, await openAsNew({ ...doc, name: fresh }));
}

/** Opens a graph of the library. What IndexedDB holds was saved by some earlier Corespace, so it
 * is loaded as a file is (migrations, renames, defaults); one that cannot be loaded is left in the
 * library, untouched, and the problems are shown. */
export async function openGraph(id: string): Promise<boolean> {
  const row = await db.graphs.get(id);
  if (!row) return false;
  const r = loadGraph(row.doc, registry);
  if (!r.ok) {
    useEditor.getState().set({ importTitle: 'This graph cannot be opened', importProblems: [`the library's graph “${(row.doc as { name?: unknown }).name ?? id}” cannot be opened (it stays in the library):`, ...r.problems.map(describeProblem)] });
    return false;
  }
  await db.setSetting('current', id);
  useEditor.getState().open(id, r.doc);
  return true;
}

/** First load: a share link's graph, else the graph open last time, else the default example. */
export async function startUp(): Promise<void> {
  let shared: string | null = null;
  let damaged: string[] | null = null;
  try {
    shared = graphFromFragment(location.hash);
  } catch (e) {
    damaged = [(e as Error).message];
  }
  if (shared !== null || damaged) history.replaceState(null, '', location.pathname + location.search);
  if (shared !== null) {
    if (await importText(shared, openAsNew)) return;
    damaged = [`the share link's graph cannot be opened (the link may be cut short):`, ...(useEditor.getState().importProblems ?? [])];
  }
  const current = await db.getSetting<string>('current');
  if (!(current && (await openGraph(current)))) await openExample(DEFAULT_EXAMPLE);
  // Shown over the graph that opened instead (opening clears the problems of the last import).
  if (damaged) useEditor.getState().set({ importTitle: 'The share link cannot be opened: the graph below opened instead', importProblems: damaged });
}

let lastVersion = 0;
let chain: Promise<void> = Promise.resolve();

/** Writes each new document of the open graph, in order. */
export function autosave(): () => void {
  return useEditor.subscribe((s, prev) => {
    if (s.doc === prev.doc || !s.graphId || s.graphId !== prev.graphId) return;
    const { graphId, doc } = s;
    useEditor.getState().set({ saved: 'saving' });
    chain = chain
      .then(async () => {
        await db.saveGraph(graphId, doc);
        if (Date.now() - lastVersion > VERSION_EVERY) {
          lastVersion = Date.now();
          await db.addVersion(graphId, doc);
        }
        if (useEditor.getState().doc === doc) useEditor.getState().set({ saved: 'saved' });
      })
      .catch(() => useEditor.getState().set({ saved: 'error' }));
  });
}

/** Resolves when every pending write has landed (tests, and before a reload). */
export const flushSaves = (): Promise<void> => chain;
