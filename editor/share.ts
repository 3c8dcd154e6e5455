// Share links: the graph JSON, deflated (fflate) and base64url-encoded, in the URL fragment
// (#graph=…), so it never reaches a server. Files are not carried (only their names and hashes).
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { serializeGraph } from '../engine/graph/load';
import type { GraphDoc } from '../engine/graph/schema';
import { fileRefs } from '../engine/io/embedded';

const toB64url = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromB64url = (text: string): Uint8Array => {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

/** The link's fragment. File bytes never go into a link (a link of a graph with an embedded image
 * grew to 300 000 characters): meta.files keeps each file's name, size and SHA-256 only, and the
 * receiver is asked for the file. */
export function shareFragment(doc: GraphDoc): string {
  return `graph=${toB64url(deflateSync(strToU8(serializeGraph(withoutFileBytes(doc))), { level: 9 }))}`;
}

/** Whether `doc` embeds file bytes (which a share link leaves out). */
export const embedsFiles = (doc: GraphDoc): boolean => Object.values(fileRefs(doc)).some((f) => f.base64 !== undefined);

function withoutFileBytes(doc: GraphDoc): GraphDoc {
  if (!embedsFiles(doc)) return doc;
  const files = Object.fromEntries(Object.entries(fileRefs(doc)).map(([name, { sha256, size }]) => [name, { sha256, size }]));
  return { ...doc, meta: { ...doc.meta, files } };
}

/** The graph text carried by a fragment, or null when the fragment holds none; throws when it is
 * damaged. */
export function graphFromFragment(hash: string): string | null {
  if (!/^#?graph=/.test(hash)) return null;
  const m = /^#?graph=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) throw new Error('the share link is damaged (it holds characters a link never has, or nothing after "graph="); ask for the link again');
  try {
    return strFromU8(inflateSync(fromB64url(m[1]!)));
  } catch {
    throw new Error('the share link is damaged (its graph does not decompress); ask for the link again');
  }
}
