// Headless views: each kind's module says what it becomes (viewer/views/); a Vega-Lite spec is
// rendered to SVG by vega (no DOM, no browser) and rasterized by resvg with the system's DejaVu
// fonts (scripts/setup-system.sh installs them). A kind that needs a browser gives its reason.
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ViewRequest } from '../engine/node-api';
import { viewKind } from './views';

const FONT = 'DejaVu Sans';

/** A view as a PNG, or why a headless run skips it; throws for a kind no module defines. */
export async function renderView(v: ViewRequest, scale = 2): Promise<{ png: Uint8Array } | { skip: string }> {
  const out = viewKind(v.kind).headless(v);
  return 'skip' in out ? out : { png: await rasterize(out.spec, scale) };
}

async function rasterize(spec: TopLevelSpec, scale: number): Promise<Uint8Array> {
  const vg = compile({ ...spec, config: { ...(spec as { config?: object }).config, font: FONT } } as never).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: FONT }, background: 'white' }).render().asPng();
  return new Uint8Array(png);
}
