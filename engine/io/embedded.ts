// Files embedded in a graph document (the editor's "export with files"): meta.files maps each path
// the nodes name to its SHA-256 and size, and, for embedded files, the bytes in base64. A resolver
// over them serves those paths and hands every other one to the fallback (the file system next to
// the graph, or the browser's IndexedDB).
import type { FileResolver } from '../node-api';
import type { GraphDoc } from '../graph/schema';

export interface FileRef {
  sha256: string;
  size: number;
  base64?: string;
}

export function fileRefs(doc: GraphDoc): Record<string, FileRef> {
  const files = (doc.meta as { files?: unknown }).files;
  if (!files || typeof files !== 'object') return {};
  return Object.fromEntries(Object.entries(files as Record<string, unknown>).filter(([, v]) => v && typeof v === 'object' && typeof (v as FileRef).sha256 === 'string')) as Record<string, FileRef>;
}

export function withEmbeddedFiles(doc: GraphDoc, fallback: FileResolver): FileResolver {
  const refs = fileRefs(doc);
  return {
    async read(path) {
      const ref = refs[path];
      if (ref?.base64 !== undefined) return base64ToBytes(ref.base64);
      return fallback.read(path);
    },
    async fingerprint(path) {
      const ref = refs[path];
      return ref?.base64 !== undefined ? `sha256:${ref.sha256}` : fallback.fingerprint(path);
    },
  };
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
