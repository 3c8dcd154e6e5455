// Files in and out of the editor: a node's input file (stored once in IndexedDB by content hash and
// named in the graph's meta.files), graph export (the JSON the CLI runs, optionally with small files
// embedded in base64) and import (every problem listed; the open graph untouched on failure).
import { bytesToBase64, fileRefs, type FileRef } from '../engine/io/embedded';
import { setParam } from '../engine/graph/edit';
import { parseGraphText, serializeGraph } from '../engine/graph/load';
import { describeProblem } from '../engine/graph/problems';
import type { GraphDoc } from '../engine/graph/schema';
import { validateGraph } from '../engine/graph/validate';
import { registry } from '../nodes';
import { db } from './db-instance';
import { useEditor } from './store';

/** Files up to this size are embedded by "export with files". */
export const EMBED_LIMIT = 4 * 2 ** 20;

/** Stores bytes and names them in the graph's meta.files (path → hash, size). */
export async function addFile(doc: GraphDoc, name: string, bytes: Uint8Array): Promise<GraphDoc> {
  const sha256 = await db.putFile(name, bytes);
  const files: Record<string, FileRef> = { ...fileRefs(doc), [name]: { sha256, size: bytes.length } };
  return { ...doc, meta: { ...doc.meta, files } };
}

export async function pickFileInto(nodeId: string, param: string): Promise<void> {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.npy,.png,.jpg,.jpeg';
  input.onchange = async () => {
    const file = input.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const st = useEditor.getState();
    const withFile = await addFile(st.doc, file.name, bytes);
    st.edit(setParam(withFile, nodeId, param, file.name));
  };
  input.click();
}

/** The graph as the CLI runs it; with `embed`, files up to EMBED_LIMIT travel inside it. */
export async function exportText(doc: GraphDoc, embed: boolean): Promise<string> {
  if (!embed) return serializeGraph(doc);
  const files: Record<string, FileRef> = {};
  for (const [name, ref] of Object.entries(fileRefs(doc))) {
    const row = ref.base64 === undefined && ref.size <= EMBED_LIMIT ? await db.files.get(ref.sha256) : undefined;
    files[name] = row ? { ...ref, base64: bytesToBase64(row.bytes) } : ref;
  }
  return serializeGraph({ ...doc, meta: { ...doc.meta, files } });
}

export function download(name: string, text: string, type = 'application/json'): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export type ImportResult = { ok: true; doc: GraphDoc; warnings: string[] } | { ok: false; problems: string[] };

/** Problems a half-built graph has while the editor builds it (an input not yet connected, a param
 * not yet set or out of range): the graph opens, with them shown as warnings on the nodes. The
 * others (edges the editor cannot draw, duplicate ids, cycles) refuse the import. */
const HALF_BUILT = new Set(['missing-input', 'invalid-param', 'unknown-param', 'newer-node-version', 'unsafe-id', 'unknown-type', 'too-costly', 'input-shape']);

/** Parses and checks a graph file. Nodes of unknown type are kept (placeholders); problems of a
 * half-built graph come back as warnings; any other problem refuses the import, listing every one. */
export function checkImport(text: string): ImportResult {
  const loaded = parseGraphText(text, registry);
  if (!loaded.ok) return { ok: false, problems: loaded.problems.map(describeProblem) };
  const known = new Set(registry.nodes.map((n) => n.type));
  const unknown = new Set(loaded.doc.nodes.filter((n) => !known.has(n.type)).map((n) => n.id));
  const problems = validateGraph(loaded.doc, registry).problems.filter((p) => !(p.nodeId && unknown.has(p.nodeId)) && p.code !== 'unknown-type');
  if (problems.some((p) => !HALF_BUILT.has(p.code))) return { ok: false, problems: problems.map(describeProblem) };
  return { ok: true, doc: loaded.doc, warnings: problems.map(describeProblem) };
}

/** Imports a file's text: embedded files go into IndexedDB; on failure the problems are shown and
 * the open graph stays. */
export async function importText(text: string, open: (doc: GraphDoc) => Promise<unknown>): Promise<boolean> {
  const r = checkImport(text);
  if (!r.ok) {
    useEditor.getState().set({ importTitle: null, importProblems: r.problems });
    return false;
  }
  for (const [name, ref] of Object.entries(fileRefs(r.doc))) {
    if (ref.base64 !== undefined) await db.putFile(name, Uint8Array.from(atob(ref.base64), (c) => c.charCodeAt(0)));
  }
  useEditor.getState().set({ importProblems: null });
  await open(r.doc);
  if (r.warnings.length) {
    useEditor.getState().set({ notice: `Opened with ${r.warnings.length} problem${r.warnings.length === 1 ? '' : 's'} to fix before it runs (marked ⚠ on the nodes): ${r.warnings.join('; ')}` });
  }
  return true;
}
