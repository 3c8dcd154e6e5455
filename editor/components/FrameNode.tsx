// A frame (group) on the canvas: a titled box drawn behind the nodes. Dragging its title bar moves
// it and the nodes inside it (Canvas.tsx); double-clicking the title renames it; the corner handle
// resizes it. The rest of the box lets the mouse through to the canvas.
import { NodeResizeControl, type NodeProps } from '@xyflow/react';
import { memo, useRef, useState } from 'react';
import { updateFrame } from '../../engine/graph/edit';
import type { GraphDoc } from '../../engine/graph/schema';
import type { FlowFrame } from '../flow';
import { useEditor } from '../store';

function FrameView({ data, selected }: NodeProps<FlowFrame>) {
  const frame = useEditor((s) => s.doc.layout.frames?.find((f) => f.id === data.frameId));
  const [naming, setNaming] = useState(false);
  const resizeStart = useRef<GraphDoc | null>(null);
  if (!frame) return null;
  const rename = (title: string) => {
    setNaming(false);
    const st = useEditor.getState();
    const t = title.trim() || 'Group';
    if (t !== frame.title) st.edit(updateFrame(st.doc, frame.id, { title: t }, st.measured));
  };
  return (
    <div className={`cs-frame${selected ? ' selected' : ''}`} data-testid={`frame-${frame.id}`} style={frame.color ? { borderColor: frame.color, background: `${frame.color}14` } : undefined}>
      <div className="cs-frame-title" data-testid={`frame-title-${frame.id}`} onDoubleClick={() => setNaming(true)} title="drag to move the frame and its nodes; double-click to rename">
        {naming ? (
          <input
            className="nodrag"
            data-testid={`frame-name-${frame.id}`}
            aria-label="frame title"
            defaultValue={frame.title}
            autoFocus
            onFocus={(e) => e.target.select()}
            onBlur={(e) => rename(e.target.value)}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') rename(e.currentTarget.value);
              else if (e.key === 'Escape') setNaming(false);
            }}
          />
        ) : (
          frame.title
        )}
      </div>
      <NodeResizeControl
        className="cs-frame-resize"
        position="bottom-right"
        minWidth={80}
        minHeight={60}
        onResizeStart={() => (resizeStart.current = useEditor.getState().doc)}
        onResize={(_, p) => {
          const st = useEditor.getState();
          st.setTransient(updateFrame(st.doc, frame.id, { width: Math.round(p.width), height: Math.round(p.height) }, st.measured));
        }}
        onResizeEnd={() => {
          if (resizeStart.current) useEditor.getState().commitFrom(resizeStart.current);
          resizeStart.current = null;
        }}
      />
    </div>
  );
}

export const FrameNode = memo(FrameView);
