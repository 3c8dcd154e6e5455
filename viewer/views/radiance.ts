// Radiance fields as images: the engine's renders (engine/radiance/render.ts, the one renderer
// definition) of a few orbit views, teacher | student | difference in a row per view, shown as one
// image — the headless PNG; in the editor, with the fields ray-marched live in three.js beside it
// (viewer/Radiance.tsx: the engine's rule in GLSL, cameras linked, orbit, density scale, background).
import type { TopLevelSpec } from 'vega-lite';
import { pngDataUrl } from '../png';
import { vegaBase, type ViewKind } from './kind';

export interface RadianceView {
  kind: 'radiance';
  title: string;
  width: number;
  height: number;
  /** The composite image, RGB bytes row-major (width × height × 3). */
  rgb: Uint8Array;
  note?: string;
  /** For the editor's live view (left out headless): each field sampled at n³ corner-aligned nodes in
   * the grid format ([n, n, n, 4]: σ then RGB, axis 0 = x; trilinear between nodes, so a dense field
   * of n nodes is itself), with the renderer's settings and the first row's camera. */
  volume?: RadianceVolume;
}

export interface RadianceVolume {
  n: number;
  teacher: Float32Array;
  student?: Float32Array;
  samples: number;
  background: [number, number, number];
  densityScale: number;
  /** The orbit camera of the image's first row (radians; distance 3.5, field of view 40°, z up). */
  azimuth: number;
  elevation: number;
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    radiance: RadianceView;
  }
}

export const radianceView: ViewKind<RadianceView> = {
  kind: 'radiance',
  doc: 'renders of radiance fields from orbit cameras (teacher | student | difference), drawn by the engine\'s renderer (a PNG in headless runs); in the editor the fields are also ray-marched live in three.js with linked cameras',
  component: async () => (await import('../Radiance')).Radiance,
  headless: (view) => ({ spec: radianceSpec(view) }),
};

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
