// A heatmap or a plot in the browser: the same Vega-Lite spec as the headless PNG (each view kind's
// module, viewer/views/), drawn on a canvas by vega-embed, with tooltips on hover.
import { useEffect, useMemo, useRef } from 'react';
import embed from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';

export function VegaView({ spec }: { spec: TopLevelSpec }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
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
  }, [spec]);
  return <div ref={ref} className="cs-vega" data-testid="vega-view" />;
}

/** The component of a Vega-Lite view kind: its request turned into its spec, then drawn. */
export function vegaComponent<R>(specOf: (view: R) => TopLevelSpec) {
  return function VegaKind({ view }: { view: R }) {
    const spec = useMemo(() => specOf(view), [view]);
    return <VegaView spec={spec} />;
  };
}
