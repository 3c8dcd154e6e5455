// Content keys for the output cache: a node's key is a digest of its type, type version, resolved
// params, the run seed, the fingerprints of files it reads, and its inputs' keys. Equal keys mean
// equal outputs, because nodes are deterministic given these (see scheduler determinism tests).

/** JSON with object keys sorted, so logically equal params give the same text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** SHA-256 (Web Crypto: present in browsers, workers and Node ≥ 19) as lowercase hex. */
export async function sha256Hex(text: string | Uint8Array): Promise<string> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** 32-bit FNV-1a of a string, for deriving per-node random streams from ids. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
