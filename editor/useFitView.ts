// Fit view for the editor. Never on an empty graph: React Flow keeps a fit asked for with no nodes
// and runs it on the first node measured, pulling that node away from where it was dropped. And
// clear of the minimap while it shows: the graph goes beside it or above it, whichever shows the
// graph larger.
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { useEditor } from './store';

/** The minimap's box in the canvas's bottom-right corner: React Flow's default size and its panel
 * margin, px. */
export const MINIMAP = { width: 200, height: 150, margin: 15 };

/** Room left around the graph, px. */
const PAD = 24;

export function useFitView(): () => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(() => {
    const { doc, minimap } = useEditor.getState();
    if (!doc.nodes.length) return;
    const pad = { top: PAD, right: PAD, bottom: PAD, left: PAD };
    if (minimap) {
      const { width, height } = store.getState();
      const bounds = flow.getNodesBounds(flow.getNodes());
      const [bw, bh] = [Math.max(1, bounds.width), Math.max(1, bounds.height)];
      const beside = MINIMAP.width + MINIMAP.margin + PAD / 2;
      const above = MINIMAP.height + MINIMAP.margin + PAD / 2;
      const zoomBeside = Math.min((width - PAD - beside) / bw, (height - 2 * PAD) / bh);
      const zoomAbove = Math.min((width - 2 * PAD) / bw, (height - PAD - above) / bh);
      if (zoomBeside >= zoomAbove) pad.right = beside;
      else pad.bottom = above;
    }
    const px = (v: number) => `${Math.round(v)}px` as const;
    void flow.fitView({ maxZoom: 1, padding: { top: px(pad.top), right: px(pad.right), bottom: px(pad.bottom), left: px(pad.left) } });
  }, [flow, store]);
}
