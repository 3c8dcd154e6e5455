// What a view kind is: the request a viewer node sends (plain data), the component that draws it in
// the editor (loaded the first time one is shown) and what a headless run makes of it. One module
// per kind in this folder, each declaring its request into engine/node-api's ViewRequests (so the
// node that builds one is type-checked against it); the list is viewer/views/index.ts.
import type { ComponentType } from 'react';
import type { TopLevelSpec } from 'vega-lite';
import type { ViewRequest } from '../../engine/node-api';

/** What a headless run does with a view: a Vega-Lite spec it rasterizes to a PNG, or why it skips it. */
export type Headless = { spec: TopLevelSpec } | { skip: string };

export interface ViewKind<R extends ViewRequest> {
  readonly kind: R['kind'];
  /** What it shows, for the docs. */
  readonly doc: string;
  /** The editor's component for it, imported the first time such a view is shown. */
  component(): Promise<ComponentType<{ view: R }>>;
  headless(view: R): Headless;
}

/** The 3-D views' reason: WebGL needs a browser. */
export const NEEDS_WEBGL = 'a 3-D view: it renders with WebGL in the editor, not headless';

/** A Vega-Lite view: the same spec drawn by vega-embed in the editor and rasterized headless. */
export const vegaView = <R extends ViewRequest>(spec: (view: R) => TopLevelSpec): Pick<ViewKind<R>, 'component' | 'headless'> => ({
  component: async () => (await import('../VegaView')).vegaComponent(spec),
  headless: (view) => ({ spec: spec(view) }),
});

/** Title, size and background every Vega-Lite view shares. */
export const vegaBase = (title: string, note?: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json' as const,
  title: note ? { text: title, subtitle: note } : title,
  width: 420,
  height: 320,
  background: 'white',
});
