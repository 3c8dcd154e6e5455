// Lines of 3-D space (viewer/views/lines.ts): each a segment through its point closest to the origin
// along its direction, coloured by value or index (viridis), with the unit sphere as reference;
// orbit, and hover for the line's index, Plücker coordinates p, direction d and moment m.
import { useThree, type ThreeEvent } from '@react-three/fiber';
import { useLayoutEffect, useMemo, useState } from 'react';
import { BufferAttribute, BufferGeometry, LineBasicMaterial } from 'three';
import type { ViewRequest } from '../engine/node-api';
import { VIRIDIS_CSS, viridis } from './colormaps';
import { Orbit } from './orbit';
import { SceneRow, useScreenProject } from './scene';

type LinesView = Extract<ViewRequest, { kind: 'lines' }>;

/** Half the length of each drawn segment, in units of the scene's radius. */
const HALF = 1.5;

/** The segments' end points: each line through its closest point c along d/|d|, both scaled so the
 * farthest closest point (or the unit sphere) fits the scene. */
export function segments(v: LinesView): { ends: Float32Array; radius: number } {
  const n = v.lines.length / 9;
  let radius = 1;
  for (let i = 0; i < n; i++) radius = Math.max(radius, Math.hypot(v.lines[9 * i]!, v.lines[9 * i + 1]!, v.lines[9 * i + 2]!));
  const ends = new Float32Array(6 * n);
  for (let i = 0; i < n; i++) {
    const c = [0, 1, 2].map((k) => v.lines[9 * i + k]! / radius);
    const d = [3, 4, 5].map((k) => v.lines[9 * i + k]!);
    const len = Math.hypot(...d) || 1;
    for (let k = 0; k < 3; k++) {
      ends[6 * i + k] = c[k]! - (HALF * d[k]!) / len;
      ends[6 * i + 3 + k] = c[k]! + (HALF * d[k]!) / len;
    }
  }
  return { ends, radius };
}

function Segments({ view, lo, hi, onHover }: { view: LinesView; lo: number; hi: number; onHover: (i: number | null) => void }) {
  const { invalidate, raycaster } = useThree();
  const { ends } = useMemo(() => segments(view), [view]);
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    const n = ends.length / 6;
    const colors = new Float32Array(6 * n);
    for (let i = 0; i < n; i++) {
      const value = view.values?.[i] ?? i;
      const [r, gg, b] = viridis(hi > lo ? (value - lo) / (hi - lo) : 0.5).map((x) => (x / 255) ** 2.2) as [number, number, number];
      colors.set([r, gg, b, r, gg, b], 6 * i);
    }
    g.setAttribute('position', new BufferAttribute(ends, 3));
    g.setAttribute('color', new BufferAttribute(colors, 3));
    g.computeBoundingSphere();
    return g;
  }, [ends, view, lo, hi]);
  const material = useMemo(() => new LineBasicMaterial({ vertexColors: true }), []);
  useLayoutEffect(() => {
    raycaster.params.Line = { threshold: 0.03 };
    invalidate();
  }, [geometry, raycaster, invalidate]);
  // For tests and tools: where the middle of line i is drawn on screen.
  useScreenProject((i: number) => (6 * i + 5 < ends.length ? ([0, 1, 2].map((k) => (ends[6 * i + k]! + ends[6 * i + 3 + k]!) / 2) as [number, number, number]) : null), [ends]);
  return (
    <lineSegments
      geometry={geometry}
      material={material}
      onPointerMove={(e: ThreeEvent<PointerEvent>) => (e.stopPropagation(), e.index !== undefined && onHover(Math.floor(e.index / 2)))}
      onPointerOut={() => onHover(null)}
    />
  );
}

const fmt = (xs: ArrayLike<number>) => `(${Array.from(xs, (x) => x.toPrecision(3)).join(', ')})`;

export function Lines3D({ view }: { view: LinesView }) {
  const n = view.lines.length / 9;
  const [lo, hi] = useMemo(() => {
    const vs = view.values ?? Array.from({ length: n }, (_, i) => i);
    return [Math.min(...vs), Math.max(...vs)];
  }, [view, n]);
  const [hover, setHover] = useState<number | null>(null);
  // The scene is scaled by the farthest closest point (at least 1): the unit sphere is drawn to scale.
  const radius = useMemo(() => segments(view).radius, [view]);
  const at = (i: number, from: number, count: number) => view.lines.slice(9 * i + from, 9 * i + from + count);
  return (
    <div className="cs-view3d" data-testid="lines3d">
      <div className="cs-view-controls">
        <span data-testid="lines-hover">
          {hover !== null
            ? `line ${view.indices?.[hover] ?? hover}: p ${fmt(view.coordinates.slice(6 * hover, 6 * hover + 6))}, d ${fmt(at(hover, 3, 3))}, m ${fmt(at(hover, 6, 3))}${view.values ? `, value ${view.values[hover]!.toPrecision(4)}` : ''}`
            : `${n} lines`}
        </span>
      </div>
      <SceneRow testId="lines3d-canvas" camera={[2.2, 1.8, 3]} lo={lo} hi={hi} css={VIRIDIS_CSS}>
        <mesh>
          <sphereGeometry args={[1 / radius, 24, 16]} />
          <meshBasicMaterial color="#9ca3af" wireframe transparent opacity={0.35} />
        </mesh>
        <Segments view={view} lo={lo} hi={hi} onHover={setHover} />
        <Orbit />
      </SceneRow>
      {view.note && <div className="cs-muted">{view.note}</div>}
    </div>
  );
}
