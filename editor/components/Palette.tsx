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
