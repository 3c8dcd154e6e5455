// The quick-add box (double-click the canvas or press /): type to filter node types, Enter or a
// click adds the highlighted one where the box was opened.
import { useEffect, useMemo, useRef, useState } from 'react';
import { registry } from '../../nodes';
import { search } from './Palette';

export function SearchBox({ at, onPick, onClose }: { at: { x: number; y: number }; onPick: (type: string) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const hits = useMemo(() => search(query, registry.nodes).slice(0, 12), [query]);
  useEffect(() => input.current?.focus(), []);
  return (
    <div className="cs-searchbox" style={{ left: at.x, top: at.y }} data-testid="searchbox">
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
          <li key={d.type} className={i === index ? 'active' : ''} onMouseDown={() => onPick(d.type)}>
            {d.title} <small>{d.type}</small>
          </li>
        ))}
      </ul>
    </div>
  );
}
