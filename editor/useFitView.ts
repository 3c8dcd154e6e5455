// Fit view for the editor (the viewport from fit.ts). Never on an empty graph: React Flow keeps a
// fit asked for with no nodes and runs it on the first node measured, pulling that node away from
// where it was dropped; an empty graph opens at zoom 1 instead.
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { fitViewport } from './fit';
import { useEditor } from './store';

export { MINIMAP } from './fit';

export function useFitView(): () => void {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(() => {
    const { doc, minimap } = useEditor.getState();
    if (!doc.nodes.length) {
      void flow.setViewport({ x: 0, y: 0, zoom: 1 });
      return;
    }
    const { width, height } = store.getState();
    void flow.setViewport(fitViewport(flow.getNodesBounds(flow.getNodes()), { width, height }, { minimap }));
  }, [flow, store]);
}
