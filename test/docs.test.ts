// Generated docs must match their sources: the README's node catalogue (registry) and the JSON
// Schema (graph schema). Run `npm run docs` after changing either.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFileText, withCatalogue } from '../cli/docs';
import { registry } from '../nodes';

const read = (p: string) => readFileSync(new URL(`../${p}`, import.meta.url), 'utf8');

describe('generated docs', () => {
  it('README node catalogue matches the registry', () => {
    const readme = read('README.md');
    expect(readme, 'run `npm run docs`').toBe(withCatalogue(readme, registry));
    for (const n of registry.nodes) expect(readme).toContain(`### \`${n.type}\``);
  });

  it('docs/graph.schema.json matches the graph schema', () => {
    expect(read('docs/graph.schema.json'), 'run `npm run docs`').toBe(schemaFileText());
  });

  it('CI runs exactly the README test command', () => {
    const readme = read('README.md');
    const commands = [...readme.matchAll(/```sh\n(.+)\n```/g)].map((m) => m[1]);
    expect(commands).toContain('npm ci && npm test');
    expect(read('.ci/run')).toMatch(/^npm ci && npm test$/m);
  });
});
