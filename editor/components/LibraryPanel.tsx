// The graph library (new, open, rename, duplicate, delete, restore one of the last versions) and
// the examples gallery (an example opened again reopens its library entry: persistence.ts). The
// lists come from an async IndexedDB read: until the newest read has landed they say so (`aria-busy`
// and a loading line, never an empty library), and an older read never overwrites a newer one.
import { useEffect, useMemo, useState } from 'react';
import type { GraphRow, VersionRow } from '../../storage/db';
import { db } from '../db-instance';
import { EXAMPLES } from '../examples';
import { latest } from '../latest';
import { openAsNew, openExample, openGraph } from '../persistence';
import { emptyGraph, useEditor } from '../store';

export function LibraryPanel({ onClose }: { onClose: () => void }) {
  const graphId = useEditor((s) => s.graphId);
  const doc = useEditor((s) => s.doc);
  const [lists, setLists] = useState<{ graphs: GraphRow[]; versions: VersionRow[] }>({ graphs: [], versions: [] });
  const [busy, setBusy] = useState(true);
  const [failure, setFailure] = useState<string | null>(null);
  const reads = useMemo(
    () =>
      latest<{ graphs: GraphRow[]; versions: VersionRow[] }>(
        (v) => {
          setLists(v);
          setFailure(null);
        },
        setBusy,
        (e) => setFailure(`the library cannot be read: ${(e as Error).message}`),
      ),
    [],
  );
  const refresh = () => reads.run(async () => ({ graphs: await db.graphs.orderBy('updatedAt').reverse().toArray(), versions: await db.listVersions(graphId) }));
  useEffect(() => void refresh(), [graphId, doc]);
  const { graphs, versions } = lists;
  return (
    <div className="cs-dialog" data-testid="library">
      <header>
        <b>Library</b>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <button type="button" onClick={() => void openAsNew(emptyGraph()).then(onClose)}>
        New graph
      </button>
      {busy && <p data-testid="library-loading">Loading the library…</p>}
      {failure && <p className="cs-error">{failure}</p>}
      <ul data-testid="graphs" aria-busy={busy}>
        {graphs.map((g) => (
          <li key={g.id} className={g.id === graphId ? 'current' : ''}>
            <a onClick={() => void openGraph(g.id).then(onClose)}>{g.name}</a> <small>{new Date(g.updatedAt).toLocaleString()}</small>
            <button
              type="button"
              onClick={async () => {
                const name = prompt('New name', g.name);
                if (!name) return;
                const next = { ...g.doc, name };
                await db.saveGraph(g.id, next);
                if (g.id === graphId) useEditor.getState().edit(next);
                await refresh();
              }}
            >
              Rename
            </button>
            <button type="button" onClick={() => void openAsNew({ ...g.doc, name: `${g.name} copy` }).then(refresh)}>
              Duplicate
            </button>
            <button
              type="button"
              disabled={g.id === graphId}
              onClick={async () => {
                if (!confirm(`Delete “${g.name}” and its versions?`)) return;
                await db.deleteGraph(g.id);
                await refresh();
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <h3>Versions of “{doc.name}”</h3>
      <ul data-testid="versions" aria-busy={busy}>
        {versions.map((v) => (
          <li key={v.key}>
            {new Date(v.savedAt).toLocaleString()} · {v.doc.nodes.length} nodes
            {/* The version's graph under the current name (a rename is not undone by a restore). */}
            <button type="button" onClick={() => useEditor.getState().edit({ ...v.doc, name: useEditor.getState().doc.name })}>
              Restore
            </button>
          </li>
        ))}
      </ul>
      <h3>Examples</h3>
      <ul data-testid="examples">
        {EXAMPLES.map((e) => (
          <li key={e.name}>
            <a data-testid={`example-${e.name}`} onClick={() => void openExample(e.name).then(onClose)}>
              {e.name}
            </a>{' '}
            <small>{e.description}</small>
          </li>
        ))}
      </ul>
    </div>
  );
}
