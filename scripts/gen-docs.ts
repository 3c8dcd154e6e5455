// npm run docs: regenerates the README's node catalogue and docs/graph.schema.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { registry } from '../nodes';
import { schemaFileText, withCatalogue } from '../cli/docs';

const root = new URL('../', import.meta.url);
const readme = new URL('README.md', root);
writeFileSync(readme, withCatalogue(readFileSync(readme, 'utf8'), registry));
writeFileSync(new URL('docs/graph.schema.json', root), schemaFileText());
console.log('wrote README.md (node catalogue) and docs/graph.schema.json');
