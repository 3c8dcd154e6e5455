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

/** Serves meta.files' embedded bytes and hands other paths to `fallback`. Every file meta.files
 * describes, embedded or not, must have the size and SHA-256 recorded there: a file that changed
 * since the graph was saved (or a damaged embedding) is refused, naming meta.files and the path. */
export function withEmbeddedFiles(doc: GraphDoc, fallback: FileResolver): FileResolver {
  const refs = new Map(Object.entries(fileRefs(doc)));
  return {
    async read(path) {
      const ref = refs.get(path);
      if (!ref) return fallback.read(path);
      const where = `meta.files[${JSON.stringify(path)}]`;
      let bytes: Uint8Array;
      if (ref.base64 !== undefined) {
        try {
          bytes = base64ToBytes(ref.base64);
        } catch {
          throw new Error(`${where}.base64 is not valid base64 (the embedded copy of '${path}' is damaged); export the graph with its files again, or remove the entry to read '${path}' from disk`);
        }
      } else bytes = await fallback.read(path);
      const source = ref.base64 !== undefined ? 'the embedded copy of' : 'the file';
      if (typeof ref.size === 'number' && bytes.length !== ref.size) {
        throw new Error(`${source} '${path}' has ${bytes.length} bytes, but ${where}.size says ${ref.size}: it is not the file the graph was saved with; ${ref.base64 !== undefined ? 'export the graph with its files again' : `put the original file back, or remove ${where} to accept this one`}`);
      }
      const digest = await sha256Bytes(bytes);
      if (digest !== ref.sha256.toLowerCase()) {
        throw new Error(`${source} '${path}' has SHA-256 ${digest.slice(0, 16)}…, but ${where}.sha256 says ${ref.sha256.slice(0, 16)}…: it is not the file the graph was saved with; ${ref.base64 !== undefined ? 'export the graph with its files again' : `put the original file back, or remove ${where} to accept this one`}`);
      }
      return bytes;
    },
    async fingerprint(path) {
      const ref = refs.get(path);
      return ref?.base64 !== undefined ? `sha256:${ref.sha256}` : fallback.fingerprint(path);
    },
  };
}

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Lower-case hex SHA-256 of `bytes` (WebCrypto: the same in Node and the browser). */
export async function sha256Bytes(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes of standard base64 (whitespace allowed); throws on anything else. */
export function base64ToBytes(b64: string): Uint8Array {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new Error('not valid base64');
  const s = atob(clean);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
