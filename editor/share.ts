// Share links: the graph JSON, deflated (fflate) and base64url-encoded, in the URL fragment
// (#graph=…), so it never reaches a server. Files are not carried (only their names and hashes).
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { serializeGraph } from '../engine/graph/load';
import type { GraphDoc } from '../engine/graph/schema';

const toB64url = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromB64url = (text: string): Uint8Array => {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

export function shareFragment(doc: GraphDoc): string {
  return `graph=${toB64url(deflateSync(strToU8(serializeGraph(doc)), { level: 9 }))}`;
}

/** The graph text carried by a fragment, or null when the fragment holds none; throws when it is
 * damaged. */
export function graphFromFragment(hash: string): string | null {
  const m = /^#?graph=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return null;
  try {
    return strFromU8(inflateSync(fromB64url(m[1]!)));
  } catch {
    throw new Error('the share link is damaged (its graph does not decompress); ask for the link again');
  }
}
