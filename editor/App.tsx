// The editor's frame: toolbar, palette, canvas, inspector, results, status bar; the keyboard
// shortcuts, clipboard (graph JSON, so it works across tabs; a paste lands at the mouse pointer),
// import by file or drop, share links.
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { extractFragment, frameNodes, moveNodes, pasteInto, setBypass, setCollapsed } from '../engine/graph/edit';
import { loadGraph } from '../engine/graph/load';
import type { GraphDoc } from '../engine/graph/schema';
import type { EngineClient } from './engine-client';
import { download, exportText, importText } from './files';
import { autoLayout } from './layout';
import { openAsNew } from './persistence';
import { shareFragment } from './share';
import { fileRefs } from '../engine/io/embedded';
import { CEILINGS } from './ceiling';
import { addAndSelect, setCeiling, useEditor } from './store';
import { useFitView } from './useFitView';
import { Canvas } from './components/Canvas';
import { Help } from './components/Help';
import { QueueDialog } from './components/QueueDialog';
import { Inspector } from './components/Inspector';
import { LibraryPanel } from './components/LibraryPanel';
import { Palette } from './components/Palette';
import { ResultsPanel } from './components/ResultsPanel';
import { noticeMs } from './notice';

function Frame({ engine }: { engine: EngineClient }) {
  const flow = useReactFlow();
  const fitView = useFitView();
  const doc = useEditor((s) => s.doc);
  const run = useEditor((s) => s.run);
  const backend = useEditor((s) => s.backend);
  const notice = useEditor((s) => s.notice);
  const importProblems = useEditor((s) => s.importProblems);
  const importTitle = useEditor((s) => s.importTitle);
  const saved = useEditor((s) => s.saved);
  const maxMinutes = useEditor((s) => s.maxMinutes);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const [dialog, setDialog] = useState<'library' | 'help' | 'queue' | null>(null);
  const [embed, setEmbed] = useState(true);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  // Whether the share link reached the clipboard (said in the dialog).
  const [shareCopied, setShareCopied] = useState<'copied' | 'failed' | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const running = run.status === 'running';

  // A field shown in red holds no value the graph would run with: Run refuses and names it.
  const runAll = (targets?: string[]) => {
    const st = useEditor.getState();
    const invalid = Object.entries(st.invalidFields);
    if (invalid.length) {
      const [key, why] = invalid[0]!;
      const at = key.lastIndexOf('.');
      st.set({ notice: `not run: the ${key.slice(at + 1)} field of node ${key.slice(0, at)} is invalid (${why}); correct it, or pick another node to discard it` });
      return;
    }
    void engine.run(st.doc, targets);
  };
  const copy = async () => {
    const st = useEditor.getState();
    if (!st.selected.length) return;
    await navigator.clipboard.writeText(JSON.stringify(extractFragment(st.doc, st.selected)));
  };
  // Where the mouse last was over the canvas (client coordinates); null once it left.
  const pointer = useRef<{ x: number; y: number } | null>(null);
  /** Moves a pasted group's top-left corner to the pointer (its nodes keep their places relative to
   * each other); with the pointer off the canvas, 40 px beside the originals. */
  const pasteOffset = (fragment: GraphDoc) => {
    const at = fragment.nodes.map((n) => fragment.layout.positions[n.id]).filter((p) => p !== undefined);
    if (!pointer.current || !at.length) return { x: 40, y: 40 };
    const target = flow.screenToFlowPosition(pointer.current);
    return { x: Math.round(target.x - Math.min(...at.map((p) => p.x))), y: Math.round(target.y - Math.min(...at.map((p) => p.y))) };
  };
  const pasteText = (text: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return useEditor.getState().set({ notice: 'the clipboard holds no Corespace nodes' });
    }
    const r = loadGraph(raw);
    if (!r.ok) return useEditor.getState().set({ notice: 'the clipboard holds no Corespace nodes' });
    const st = useEditor.getState();
    const pasted = pasteInto(st.doc, r.doc, pasteOffset(r.doc));
    st.edit(pasted.doc);
    st.set({ selected: pasted.ids });
  };
  const duplicate = (ids: string[]) => {
    const st = useEditor.getState();
    const pasted = pasteInto(st.doc, extractFragment(st.doc, ids), { x: 40, y: 40 });
    st.edit(pasted.doc);
    st.set({ selected: pasted.ids });
  };
  // Ctrl+B and Alt+C act on the selection: all on → all off, otherwise all on (one undo step).
  const toggleBypass = (ids: string[]) => {
    const st = useEditor.getState();
    if (!ids.length) return st.set({ notice: 'select the nodes to bypass first' });
    st.edit(setBypass(st.doc, ids, !ids.every((id) => st.doc.nodes.find((n) => n.id === id)?.bypass)));
  };
  const toggleCollapsed = (ids: string[]) => {
    const st = useEditor.getState();
    if (!ids.length) return st.set({ notice: 'select the nodes to collapse first' });
    st.edit(setCollapsed(st.doc, ids, !ids.every((id) => st.doc.layout.collapsed?.includes(id))));
  };
  const frameSelection = () => {
    const st = useEditor.getState();
    if (!st.selected.length) return st.set({ notice: 'select the nodes to put in a frame first (Shift+click or Shift+drag)' });
    const r = frameNodes(st.doc, st.selected, st.measured);
    st.edit(r.doc);
    st.set({ selected: [], selectedFrames: [r.id] });
  };
  const layout = () => {
    const st = useEditor.getState();
    st.edit(moveNodes(st.doc, autoLayout(st.doc, st.measured)));
    setTimeout(fitView, 50);
  };
  const addAtCentre = (type: string) => {
    addAndSelect(type, flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 }));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
      const mod = e.ctrlKey || e.metaKey;
      const st = useEditor.getState();
      if (mod && e.key === 'Enter') {
        e.preventDefault();
        runAll();
      } else if (e.key === 'Escape') {
        if (st.run.status === 'running') engine.cancel();
        setDialog(null);
      } else if (typing) {
        return;
      } else if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) st.redo();
        else st.undo();
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        st.redo();
      } else if (mod && !e.shiftKey && e.key.toLowerCase() === 'a') {
        // Every node, not the page's text.
        e.preventDefault();
        st.set({ selected: st.doc.nodes.map((n) => n.id) });
      } else if (mod && e.key.toLowerCase() === 'c') void copy();
      else if (mod && e.key.toLowerCase() === 'd') {
        e.preventDefault();
        duplicate(st.selected);
      } else if (mod && !e.altKey && e.key.toLowerCase() === 'b') {
        e.preventDefault();
        toggleBypass(st.selected);
      } else if (mod && !e.altKey && e.key.toLowerCase() === 'g') {
        e.preventDefault();
        frameSelection();
      } else if (e.altKey && !mod && e.code === 'KeyC') {
        e.preventDefault();
        toggleCollapsed(st.selected);
      } else if (!mod && e.key === '?') setDialog((d) => (d === 'help' ? null : 'help'));
      else if (!mod && e.key.toLowerCase() === 'l') layout();
      else if (!mod && e.key.toLowerCase() === 'f') fitView();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      const text = e.clipboardData?.getData('text/plain');
      if (text) pasteText(text);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  });

  // A notice goes after the time it takes to read it (noticeMs), not while the pointer is on it.
  const [noticeHeld, setNoticeHeld] = useState(false);
  useEffect(() => {
    const ms = notice ? noticeMs(notice) : null;
    if (ms === null || noticeHeld) return;
    const t = setTimeout(() => useEditor.getState().set({ notice: null }), ms);
    return () => clearTimeout(t);
  }, [notice, noticeHeld]);

  const importFile = async (file: File) => void importText(await file.text(), openAsNew);

  return (
    <div
      className="cs-app"
      onDragOver={(e) => e.dataTransfer.types.includes('Files') && e.preventDefault()}
      onDrop={(e) => {
        const file = e.dataTransfer.files?.[0];
        if (file && file.name.endsWith('.json')) {
          e.preventDefault();
          void importFile(file);
        }
      }}
    >
      <nav className="cs-toolbar">
        <input className="cs-name" aria-label="graph name" value={doc.name} onChange={(e) => useEditor.getState().edit({ ...doc, name: e.target.value }, 'graph-name')} />
        <button type="button" data-testid="run" disabled={running} onClick={() => runAll()} title="Ctrl+Enter">
          ▶ Run
        </button>
        <button type="button" data-testid="cancel" disabled={!running} onClick={() => engine.cancel()} title="Esc">
          ■ Cancel
        </button>
        <label title="a node estimated to run longer than this (on one CPU core) is refused with its estimate">
          at most{' '}
          <select aria-label="time ceiling" value={String(maxMinutes)} onChange={(e) => setCeiling(Number(e.target.value))}>
            {CEILINGS.map((m) => (
              <option key={m} value={String(m)}>
                {m === Infinity ? 'no limit' : m < 60 ? `${m} min` : `${m / 60} h`} per node
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!canUndo} onClick={() => useEditor.getState().undo()} title="Ctrl+Z" data-testid="undo">
          Undo
        </button>
        <button type="button" disabled={!canRedo} onClick={() => useEditor.getState().redo()} title="Ctrl+Shift+Z" data-testid="redo">
          Redo
        </button>
        <button type="button" onClick={layout} title="L">
          Layout
        </button>
        <span className="cs-sep" />
        <button type="button" data-testid="export" onClick={async () => download(`${doc.name}.json`, await exportText(doc, embed))}>
          Export
        </button>
        <label title="embed files up to 4 MiB (base64) so the file runs on its own">
          <input type="checkbox" checked={embed} onChange={(e) => setEmbed(e.target.checked)} /> with files
        </label>
        <button type="button" data-testid="import" onClick={() => fileInput.current?.click()}>
          Import
        </button>
        <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="import-file" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
        <button
          type="button"
          data-testid="share"
          onClick={() => {
            const url = `${location.origin}${location.pathname}#${shareFragment(useEditor.getState().doc)}`;
            setShareUrl(url);
            setShareCopied(null);
            (navigator.clipboard?.writeText(url) ?? Promise.reject(new Error('no clipboard'))).then(
              () => setShareCopied('copied'),
              () => setShareCopied('failed'),
            );
          }}
        >
          Share link
        </button>
        <button type="button" onClick={() => setDialog('queue')} data-testid="open-queue" title="run this graph on a job queue of workers (from a shell)">
          Queue…
        </button>
        <button type="button" onClick={() => setDialog('library')} data-testid="open-library">
          Library & examples
        </button>
        <button type="button" onClick={() => setDialog('help')} title="?">
          ?
        </button>
      </nav>
      <div className="cs-main">
        <Palette onAdd={addAtCentre} />
        <Canvas onRunTo={(id) => runAll([id])} onDuplicate={duplicate} onPointer={(p) => (pointer.current = p)} />
        <Inspector />
      </div>
      <ResultsPanel />
      <footer className="cs-status" data-testid="status">
        <span data-testid="backend">
          {backend ? `backend: ${backend.name}${backend.name === 'webgpu' ? ` (${backend.adapter})` : ''} · CPU ${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : 'starting the engine…'}
        </span>
        {backend?.notice && <span className="cs-muted"> · {backend.notice}</span>}
        <span data-testid="run-status">
          {' '}
          · run: {run.status}
          {run.status === 'invalid' && ` — ${run.problems.length} problem${run.problems.length === 1 ? '' : 's'}, listed under Results (a click selects the node)`}
        </span>
        <span data-testid="saved"> · {saved === 'saved' ? 'saved' : saved === 'saving' ? 'saving…' : 'NOT SAVED (IndexedDB error)'}</span>
        <span> · {doc.nodes.length} nodes</span>
      </footer>
      {notice && (
        <div
          className="cs-notice"
          data-testid="notice"
          title="click to dismiss"
          onClick={() => (setNoticeHeld(false), useEditor.getState().set({ notice: null }))}
          onMouseEnter={() => setNoticeHeld(true)}
          onMouseLeave={() => setNoticeHeld(false)}
        >
          {notice}
        </div>
      )}
      {importProblems && (
        <div className="cs-dialog" data-testid="import-problems">
          <header>
            <b data-testid="import-problems-title">{importTitle ?? 'Import refused: the open graph is unchanged'}</b>
            <button type="button" onClick={() => useEditor.getState().set({ importProblems: null, importTitle: null })}>
              Close
            </button>
          </header>
          <ul>
            {importProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {shareUrl && (
        <div className="cs-dialog" data-testid="share-dialog">
          <header>
            <b>Share link</b>
            <button type="button" onClick={() => setShareUrl(null)}>
              Close
            </button>
          </header>
          <textarea readOnly value={shareUrl} data-testid="share-url" rows={4} />
          {shareCopied && (
            <p data-testid="share-copied" className={shareCopied === 'failed' ? 'cs-error' : 'cs-muted'}>
              {shareCopied === 'copied' ? '✓ Copied to the clipboard' : 'Not copied (the browser refused the clipboard): select the link above and copy it'}
            </p>
          )}
          {Object.keys(fileRefs(doc)).length > 0 && (
            <p data-testid="share-files">
              Files are not in the link (only their names, sizes and SHA-256): whoever opens it picks {Object.keys(fileRefs(doc)).join(', ')} again. To send the files too, use Export with files.
            </p>
          )}
        </div>
      )}
      {dialog === 'library' && <LibraryPanel onClose={() => setDialog(null)} />}
      {dialog === 'help' && <Help onClose={() => setDialog(null)} />}
      {dialog === 'queue' && <QueueDialog name={doc.name} onExport={async () => download(`${doc.name}.json`, await exportText(doc, embed))} onClose={() => setDialog(null)} />}
    </div>
  );
}

export function App({ engine }: { engine: EngineClient }) {
  return (
    <ReactFlowProvider>
      <Frame engine={engine} />
    </ReactFlowProvider>
  );
}
