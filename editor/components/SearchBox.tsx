// The quick-add box (double-click the canvas or press /): type to filter node types, Enter or a
// click adds the highlighted one where the box was opened. Opened by a wire dropped on empty
// canvas, it lists only the types that wire can end at, and says what it is for.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AnyNodeDefinition } from '../../engine/node-api';
import { registry } from '../../nodes';
import { search } from './Palette';

export function SearchBox({
  at,
  onPick,
  onClose,
  only,
  heading,
}: {
  at: { x: number; y: number };
  onPick: (type: string) => void;
  onClose: () => void;
  /** The node types to offer (default: all). */
  only?: readonly AnyNodeDefinition[];
  /** What the list is for, shown above it ("Nodes that take tucker"). */
  heading?: string;
}) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const hits = useMemo(() => search(query, only ?? registry.nodes).slice(0, 12), [query, only]);
  useEffect(() => input.current?.focus(), []);
  return (
    <div className="cs-searchbox" style={{ left: at.x, top: at.y }} data-testid="searchbox">
      {heading && <div className="cs-searchbox-heading">{heading}</div>}
      <input
        ref={input}
        value={query}
        placeholder="Add a node…"
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setIndex((i) => Math.min(hits.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter' && hits[index]) onPick(hits[index]!.type);
          e.stopPropagation();
        }}
        onBlur={() => setTimeout(onClose, 150)}
      />
      <ul>
        {hits.map((d, i) => (
          <li key={d.type} className={i === index ? 'active' : ''} onMouseDown={() => onPick(d.type)} data-type={d.type}>
            {d.title} <small>{d.type}</small>
          </li>
        ))}
        {!hits.length && <li className="empty">no node type matches</li>}
      </ul>
    </div>
  );
}
