// Whether a node's result on screen still answers the graph as it is: each node's signature is its
// own settings (type, version, params, bypass) and, recursively, the signatures of what feeds it
// (its input edges and the nodes it references by id, as sweep.rank's `node`). A result records
// the signature it was made for; when that no longer matches, the node shows "stale" until it runs
// again (a param changed, here or upstream).
import type { GraphDoc } from '../engine/graph/schema';
import { fnv1a32 } from '../engine/scheduler/keys';
import { validated } from './validated';

export interface Signature {
  /** The node's own settings. */
  own: string;
  /** Its own settings and everything upstream of it. */
  full: string;
}

/** The scheduler's FNV-1a, as 8 hex digits: short keys for long upstream chains. */
const hash = (text: string): string => fnv1a32(text).toString(16).padStart(8, '0');

let last: { doc: GraphDoc | null; sigs: Map<string, Signature> } = { doc: null, sigs: new Map() };

/** Every node's signature (memoized on the document). A cycle leaves its nodes without one. */
export function signatures(doc: GraphDoc): Map<string, Signature> {
  if (last.doc === doc) return last.sigs;
  const references = validated(doc).references;
  // What feeds each node: [how (its input port ← the output port, or a reference), from which node].
  const feeds = new Map<string, [string, string][]>(doc.nodes.map((n) => [n.id, []]));
  for (const e of doc.edges) feeds.get(e.to.node)?.push([`${e.to.port}<${e.from.port}`, e.from.node]);
  for (const r of references) feeds.get(r.from)?.push(['ref', r.to]);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const sigs = new Map<string, Signature>();
  const visiting = new Set<string>();
  const sig = (id: string): Signature | undefined => {
    const hit = sigs.get(id);
    if (hit) return hit;
    const node = byId.get(id);
    if (!node || visiting.has(id)) return undefined;
    visiting.add(id);
    const own = hash(JSON.stringify([node.type, node.typeVersion ?? 1, node.params, !!node.bypass]));
    const upstream = (feeds.get(id) ?? []).map(([how, from]) => `${how}:${JSON.stringify(from)}=${sig(from)?.full ?? '?'}`).sort();
    visiting.delete(id);
    const s = { own, full: hash(`${own}|${upstream.join('|')}`) };
    sigs.set(id, s);
    return s;
  };
  for (const n of doc.nodes) sig(n.id);
  last = { doc, sigs };
  return sigs;
}

/** Why the node's result is stale, or null when it is current (or there is none). */
export function staleReason(made: Signature | undefined, now: Signature | undefined): string | null {
  if (!made) return null;
  if (!now) return 'stale — the node is in a cycle';
  if (made.own !== now.own) return 'stale — params changed';
  if (made.full !== now.full) return 'stale — an input changed';
  return null;
}
