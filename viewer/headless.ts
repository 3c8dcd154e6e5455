// Headless PNGs of the 2-D views: the Vega-Lite spec compiled and rendered to SVG by vega (no DOM,
// no browser), rasterized by resvg with the system's DejaVu fonts (scripts/setup-system.sh installs
// them). The 3-D views need WebGL and are skipped with that reason.
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile } from 'vega-lite';
import type { ViewRequest } from '../engine/node-api';
import { specOf } from './specs';

const FONT = 'DejaVu Sans';

export async function renderPng(v: ViewRequest, scale = 2): Promise<Uint8Array | null> {
  const spec = specOf(v);
  if (!spec) return null;
  const vg = compile({ ...spec, config: { ...(spec as { config?: object }).config, font: FONT } } as never).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: FONT }, background: 'white' }).render().asPng();
  return new Uint8Array(png);
}

export const SKIP_3D = 'a 3-D view: it renders with WebGL in the editor, not headless';
