// Every registered node type, grouped by category, with search; drag one onto the canvas, or
// double-click it to add it at the centre of the view.
import { useMemo, useState } from 'react';
import { registry } from '../../nodes';

export const DRAG_TYPE = 'application/corespace-node';

export function matches(query: string, def: { type: string; title: string; description: string; category: string }): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const hay = `${def.type} ${def.title} ${def.category} ${def.description}`.toLowerCase();
  return q.split(/\s+/).every((w) => hay.includes(w));
}

/** How well a node type answers `query`, lower first: its type or title exactly, then a type or
 * title word starting with it, then contained in them, then only its category or description
 * (typing "tucker" finds decompose.tucker before Synthetic tensor, whose description says Tucker). */
export function rank(query: string, def: { type: string; title: string }): number {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const type = def.type.toLowerCase();
  const title = def.title.toLowerCase();
  const words = [...type.split(/[.\-_]/), ...title.split(/[\s\-–(),]+/)].filter(Boolean);
  if (type === q || title === q || type.split('.').pop() === q) return 0;
  if (words.some((w) => w.startsWith(q)) || type.startsWith(q) || title.startsWith(q)) return 1;
  if (type.includes(q) || title.includes(q)) return 2;
  return 3;
}

/** The node types matching `query`, best first (a stable sort: the registry's order breaks ties). */
export function search<T extends { type: string; title: string; description: string; category: string }>(query: string, defs: readonly T[]): T[] {
  return defs
    .filter((d) => matches(query, d))
    .map((d, i) => ({ d, i, r: rank(query, d) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.d);
}

export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const g = new Map<string, typeof registry.nodes>();
    for (const def of registry.nodes) if (matches(query, def)) g.set(def.category, [...(g.get(def.category) ?? []), def]);
    return [...g.entries()];
  }, [query]);
  return (
    <aside className="cs-palette" data-testid="palette">
      <input type="search" placeholder="Search nodes…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="search nodes" />
      {groups.map(([category, defs]) => (
        <section key={category}>
          <h3>{category}</h3>
          {defs.map((def) => (
            <div
              key={def.type}
              className="cs-palette-item"
              draggable
              data-testid={`palette-${def.type}`}
              title={def.description}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, def.type);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onDoubleClick={() => onAdd(def.type)}
            >
              <span>{def.title}</span>
              <small>{def.type}</small>
            </div>
          ))}
        </section>
      ))}
      {groups.length === 0 && <p className="cs-muted">no node matches “{query}”</p>}
    </aside>
  );
}
