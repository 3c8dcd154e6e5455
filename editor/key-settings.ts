// A node's key settings as a short line under its title ("inverse", "ranks 5,5,5", "rank 8"), so
// two nodes of one type tell apart at a glance. Derived from the params alone: those set to other
// than their default, in the schema's order, each cut short.
import { paramInfo } from '../engine/graph/params';
import type { AnyNodeDefinition } from '../engine/node-api';

/** The most characters of a value shown on the node (the whole of it is in the line's title). */
const LONGEST = 18;

const cut = (s: string) => (s.length > LONGEST ? `${s.slice(0, LONGEST - 1)}…` : s);

function describe(name: string, v: unknown): string {
  if (v === true) return name;
  if (v === false) return `no ${name}`;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' || x === null)) return `${name} ${cut(v.map((x) => x ?? 'full').join(','))}`;
  if (typeof v === 'number') return `${name} ${Number.isInteger(v) || Math.abs(v) >= 1e-3 ? String(Number(v.toPrecision(4))) : v.toExponential(1)}`;
  return `${name} ${cut(typeof v === 'string' ? v : JSON.stringify(v))}`;
}

/** Every param set to other than its default, described ("ranks 5,5,5", "inverse", "kind cp"). */
export function keySettings(def: AnyNodeDefinition, params: Record<string, unknown>): string[] {
  return paramInfo(def)
    .filter((p) => params[p.name] !== undefined && JSON.stringify(params[p.name]) !== JSON.stringify(p.default))
    .map((p) => describe(p.name, params[p.name]));
}
