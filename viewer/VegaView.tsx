// A heatmap or a plot in the browser: the same Vega-Lite spec as the headless PNG (viewer/specs.ts),
// drawn on a canvas by vega-embed, with tooltips on hover.
import { useEffect, useRef } from 'react';
import embed from 'vega-embed';
import type { ViewRequest } from '../engine/node-api';
import { specOf } from './specs';

export function VegaView({ view }: { view: ViewRequest }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const spec = specOf(view);
    if (!spec || !ref.current) return;
    let result: Awaited<ReturnType<typeof embed>> | null = null;
    let dead = false;
    void embed(ref.current, spec, { renderer: 'canvas', actions: { export: true, source: false, compiled: false, editor: false } }).then((r) => {
      if (dead) r.finalize();
      else result = r;
    });
    return () => {
      dead = true;
      result?.finalize();
    };
  }, [view]);
  return <div ref={ref} className="cs-vega" data-testid="vega-view" />;
}
