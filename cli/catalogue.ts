// The node catalogue, generated from the registry: `corespace nodes [--json]` and the README's
// "Nodes" section (kept in sync by a test), so the registry is the single source.
import { describeAccepts, describeRange, paramInfo, valueKinds, type AnyNodeDefinition, type Registry } from '../engine';

export interface CatalogueEntry {
  type: string;
  title: string;
  category: string;
  description: string;
  typeVersion: number;
  inputs: { name: string; type: string; optional: boolean; doc: string }[];
  outputs: { name: string; type: string; doc: string }[];
  params: ReturnType<typeof paramInfo>;
}

export function catalogue(registry: Registry): CatalogueEntry[] {
  return registry.nodes.map((n: AnyNodeDefinition) => ({
    type: n.type,
    title: n.title,
    category: n.category,
    description: n.description,
    typeVersion: n.typeVersion,
    inputs: n.inputs.map((p) => ({ name: p.name, type: describeAccepts(p), optional: p.optional ?? false, doc: p.doc })),
    outputs: n.outputs.map((p) => ({ name: p.name, type: p.type, doc: p.doc })),
    params: paramInfo(n),
  }));
}

const ports = (ps: { name: string; type: string }[]): string => ps.map((p) => `${p.name}: ${p.type}`).join(', ') || '—';
const fmt = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v));

/** The port types (engine/values): what each carries. An edge joins ports of the same type. */
export const portTypes = (): { type: string; doc: string }[] => valueKinds.map((k) => ({ type: k.kind, doc: k.doc }));

export function catalogueText(registry: Registry): string {
  const types = ['port types (an output feeds an input of its type):', ...portTypes().map((t) => `  ${t.type.padEnd(10)} ${t.doc}`)].join('\n');
  return `${types}\n\n${catalogue(registry)
    .map((n) => {
      const lines = [`${n.type}  — ${n.title} (${n.category})`, `  ${n.description}`, `  inputs:  ${ports(n.inputs)}`, `  outputs: ${ports(n.outputs)}`];
      if (n.params.length) lines.push('  params (set with --set <node id>.<param>=<value>):');
      for (const p of n.params) lines.push(`    ${p.name}: ${p.type}${p.default !== undefined ? ` = ${fmt(p.default)}` : ''}${describeRange(p) !== p.type ? ` (${describeRange(p)})` : ''} — ${p.doc}`);
      return lines.join('\n');
    })
    .join('\n\n')}`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function catalogueMarkdown(registry: Registry): string {
  const types = `Port types: an output feeds an input of its type.\n\n| type | carries |\n| --- | --- |\n${portTypes()
    .map((t) => `| \`${t.type}\` | ${cell(t.doc)} |`)
    .join('\n')}\n\n`;
  return types + catalogue(registry)
    .map((n) => {
      const head = `### \`${n.type}\` — ${n.title}\n\n${n.description}\n\nInputs: ${ports(n.inputs)}. Outputs: ${ports(n.outputs)}.\n`;
      if (!n.params.length) return `${head}\nNo params.\n`;
      const rows = n.params.map((p) => `| \`${p.name}\` | ${cell(p.type)} | ${cell(fmt(p.default))} | ${cell(describeRange(p))} | ${cell(p.doc)} |`);
      return `${head}\n| param | type | default | allowed | meaning |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`;
    })
    .join('\n');
}
