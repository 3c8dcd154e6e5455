// Radiance fields as images: the engine's renders (engine/radiance/render.ts, the one renderer
// definition) of a few orbit views, teacher | student | difference in a row per view, shown as one
// image — in the editor and as the headless PNG.
import type { TopLevelSpec } from 'vega-lite';
import { encode } from 'fast-png';
import { vegaBase, vegaView, type ViewKind } from './kind';

export interface RadianceView {
  kind: 'radiance';
  title: string;
  width: number;
  height: number;
  /** The composite image, RGB bytes row-major (width × height × 3). */
  rgb: Uint8Array;
  note?: string;
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    radiance: RadianceView;
  }
}

export const radianceView: ViewKind<RadianceView> = {
  kind: 'radiance',
  doc: 'renders of radiance fields from orbit cameras (teacher | student | difference), drawn by the engine\'s renderer; a PNG in headless runs',
  ...vegaView(radianceSpec),
};

/** A PNG of the image as a data URL. */
export function pngDataUrl(width: number, height: number, rgb: Uint8Array): string {
  const png = encode({ width, height, data: rgb, channels: 3, depth: 8 });
  let binary = '';
  for (let i = 0; i < png.length; i += 0x8000) binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(binary)}`;
}

export function radianceSpec(v: RadianceView): TopLevelSpec {
  return {
    ...vegaBase(v.title, v.note),
    width: v.width,
    height: v.height,
    data: { values: [{ url: pngDataUrl(v.width, v.height, v.rgb) }] },
    mark: { type: 'image', width: v.width, height: v.height, align: 'left', baseline: 'top' },
    encoding: { x: { value: 0 }, y: { value: 0 }, url: { field: 'url', type: 'nominal' } },
    config: { view: { stroke: null } },
  } as TopLevelSpec;
}
