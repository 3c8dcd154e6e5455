// Node parameters: resolving a saved params object against the node type's zod schema (defaults
// filled in, ranges checked), and describing the schema for the CLI catalogue and the inspector.
import { z } from 'zod';
import type { AnyNodeDefinition } from '../node-api';
import { didYouMean } from '../names';
import { jsonPath, type Problem } from './problems';

export interface ParamInfo {
  name: string;
  /** JSON Schema type: number, integer, string, boolean, array, … or a union like "integer | array". */
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  /** A list of enum values (type "enum[]"): the values it may hold, each at most once (a checklist). */
  options?: unknown[];
  doc: string;
  optional: boolean;
}

type JsonSchema = {
  type?: string | string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

const infoCache = new WeakMap<AnyNodeDefinition, ParamInfo[]>();

export function paramInfo(def: AnyNodeDefinition): ParamInfo[] {
  const hit = infoCache.get(def);
  if (hit) return hit;
  const schema = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = new Set(schema.required ?? []);
  const info = Object.entries(schema.properties ?? {}).map(([name, s]) => describeParam(name, s, !required.has(name)));
  infoCache.set(def, info);
  return info;
}

function describeParam(name: string, s: JsonSchema, optional: boolean): ParamInfo {
  const alts = s.anyOf ?? s.oneOf;
  const typeOf = (x: JsonSchema): string => {
    if (x.enum || x.const !== undefined) return 'enum';
    if (x.anyOf ?? x.oneOf) return (x.anyOf ?? x.oneOf)!.map(typeOf).join(' | ');
    if (Array.isArray(x.type)) return x.type.join(' | ');
    if (x.prefixItems) return `[${x.prefixItems.map(typeOf).join(', ')}]`;
    if (x.type === 'array') return `${/\|/.test(typeOf(x.items ?? {})) ? `(${typeOf(x.items ?? {})})` : typeOf(x.items ?? {})}[]`;
    return x.type ?? 'any';
  };
  const enumValues = s.enum ?? (alts?.every((a) => a.const !== undefined) ? alts.map((a) => a.const) : undefined);
  const info: ParamInfo = {
    name,
    type: enumValues ? 'enum' : alts ? alts.map(typeOf).join(' | ') : typeOf(s),
    doc: s.description ?? '',
    optional,
  };
  if (s.default !== undefined) info.default = s.default;
  // zod's int() bounds are the safe-integer range: not a limit worth printing.
  const bound = (v: number | undefined) => (v === undefined || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? undefined : v);
  const lo = bound(s.minimum ?? s.exclusiveMinimum ?? s.items?.minimum);
  const hi = bound(s.maximum ?? s.exclusiveMaximum ?? s.items?.maximum);
  if (lo !== undefined) info.minimum = lo;
  if (hi !== undefined) info.maximum = hi;
  if (enumValues) info.enum = enumValues;
  if (s.type === 'array' && s.items?.enum) info.options = s.items.enum;
  return info;
}

export function describeRange(p: ParamInfo): string {
  if (p.enum) return `one of ${p.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (p.minimum !== undefined && p.maximum !== undefined) return `${p.minimum} … ${p.maximum}`;
  if (p.minimum !== undefined) return `≥ ${p.minimum}`;
  if (p.maximum !== undefined) return `≤ ${p.maximum}`;
  return p.type;
}

const SINGULAR: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'text', boolean: 'true or false', null: 'null', object: 'an object', any: 'any value' };
const PLURAL: Record<string, string> = { integer: 'whole numbers', number: 'numbers', string: 'texts', boolean: 'true/false values', null: 'null (full)', object: 'objects', any: 'values' };

/** A param's type in words for messages ("(integer | null)[]" → "a list of whole numbers or
 * null (full)"); the catalogue keeps the compact form. */
export function typeInWords(type: string, plural = false): string {
  const t = type.trim();
  const list = /^\((.*)\)\[\]$/.exec(t) ?? /^([^|()[\]]+)\[\]$/.exec(t);
  if (list) return `${plural ? 'lists' : 'a list'} of ${typeInWords(list[1]!, true)}`;
  const tuple = /^\[(.*)\]$/.exec(t);
  if (tuple) return `${plural ? 'lists' : 'a list'} of ${tuple[1]!.split(', ').length} (${tuple[1]!.split(', ').map((x) => typeInWords(x)).join(', ')})`;
  if (t.includes(' | ')) return t.split(' | ').map((x) => typeInWords(x, plural)).join(' or ');
  return (plural ? PLURAL : SINGULAR)[t] ?? t;
}

export type ParamResult = { ok: true; params: Record<string, unknown> } | { ok: false; problems: Problem[] };

/** Checks `params` (what the user set) against the node type and fills in the defaults. */
export function resolveParams(def: AnyNodeDefinition, params: Record<string, unknown>, nodeId: string, pathPrefix: PropertyKey[]): ParamResult {
  const infos = paramInfo(def);
  const known = infos.map((p) => p.name);
  const problems: Problem[] = [];
  for (const name of Object.keys(params)) {
    if (!known.includes(name)) {
      problems.push({
        code: 'unknown-param',
        path: jsonPath([...pathPrefix, name]),
        nodeId,
        message: `${def.type} has no param '${name}'${didYouMean(name, known)} (params: ${known.join(', ') || 'none'})`,
      });
    }
  }
  const known_only = Object.fromEntries(Object.entries(params).filter(([k]) => known.includes(k)));
  const parsed = def.params.safeParse(known_only);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      const info = infos.find((p) => p.name === name);
      problems.push({
        code: 'invalid-param',
        path: jsonPath([...pathPrefix, ...issue.path]),
        nodeId,
        message: paramMessage(def.type, issue, info, params[name]),
      });
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, params: parsed.data as Record<string, unknown> };
}

function paramMessage(type: string, issue: z.core.$ZodIssue, info: ParamInfo | undefined, value: unknown): string {
  const name = issue.path.map(String).join('.') || '(params)';
  const got = value === undefined ? 'nothing' : showValue(value);
  // JSON has no Infinity: a literal past float64's range (1e400) reads as Infinity, which
  // JSON.stringify would then show as null.
  const overflow = hasNonFinite(value) ? '; a number beyond ±1.8e308 (such as 1e400) is read as Infinity: give a finite number' : '';
  const range = info && describeRange(info);
  const allowed = info ? ` (allowed: ${range === info.type ? typeInWords(info.type) : range}${info.doc ? ` — ${info.doc}` : ''})` : '';
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
    case 'invalid_type':
    case 'invalid_value':
    case 'invalid_union':
      return `${type} param '${name}': ${issue.message.replace(/^Invalid input: /, '')}; got ${got}${overflow}${allowed}`;
    default:
      return `${type} param '${name}': ${issue.message}${overflow}${allowed}`;
  }
}

/** JSON, but with Infinity, -Infinity and NaN written as such (not as null). */
function showValue(value: unknown): string {
  const MARK = '\u0000';
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `${MARK}${v}${MARK}` : v));
  return json === undefined ? String(value) : json.replace(/"\\u0000(.*?)\\u0000"/g, '$1');
}

function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNonFinite);
  return false;
}
