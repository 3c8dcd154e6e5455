// A 3-D scatter of labelled points (viewer/views/points.ts): one instanced mesh of spheres coloured
// by value or index (viridis), the axes, orbit, and hover for the label and coordinates.
import { type ThreeEvent } from '@react-three/fiber';
import { useMemo, useRef, useState } from 'react';
import type { InstancedMesh } from 'three';
import type { ViewRequest } from '../engine/node-api';
import { VIRIDIS_CSS, viridis } from './colormaps';
import { Orbit } from './orbit';
import { SceneRow, useInstances, useScreenProject } from './scene';

type PointsView = Extract<ViewRequest, { kind: 'points' }>;

interface Item {
  label: string;
  xyz: [number, number, number];
  /** Position drawn: centred on the mean, the farthest point at distance 1. */
  pos: [number, number, number];
  value: number;
}

export function layoutPoints(v: PointsView): Item[] {
  const n = v.points.length / 3;
  const at = (i: number, k: number) => v.points[3 * i + k]!;
  const mean = [0, 1, 2].map((k) => Array.from({ length: n }, (_, i) => at(i, k)).reduce((a, b) => a + b, 0) / Math.max(1, n));
  let far = 0;
  for (let i = 0; i < n; i++) far = Math.max(far, Math.hypot(...[0, 1, 2].map((k) => at(i, k) - mean[k]!)));
  const s = far > 0 ? 1 / far : 1;
  return Array.from({ length: n }, (_, i) => ({
    label: v.labels?.[i] ?? String(i),
    xyz: [at(i, 0), at(i, 1), at(i, 2)],
    pos: [0, 1, 2].map((k) => (at(i, k) - mean[k]!) * s) as [number, number, number],
    value: v.values?.[i] ?? i,
  }));
}

function Spheres({ items, lo, hi, onHover }: { items: Item[]; lo: number; hi: number; onHover: (it: Item | null) => void }) {
  const mesh = useRef<InstancedMesh>(null);
  useInstances(mesh, items, (it) => ({ pos: it.pos, scale: 0.05, rgb: viridis(hi > lo ? (it.value - lo) / (hi - lo) : 0.5) }), [lo, hi]);
  useScreenProject((i: number) => items[i]?.pos ?? null, [items]);
  return (
    <instancedMesh
      ref={mesh}
      args={[undefined, undefined, Math.max(1, items.length)]}
      onPointerMove={(e: ThreeEvent<PointerEvent>) => (e.stopPropagation(), e.instanceId !== undefined && onHover(items[e.instanceId] ?? null))}
      onPointerOut={() => onHover(null)}
    >
      <sphereGeometry args={[1, 16, 12]} />
      <meshLambertMaterial />
    </instancedMesh>
  );
}

export function Points3D({ view }: { view: PointsView }) {
  const items = useMemo(() => layoutPoints(view), [view]);
  const [lo, hi] = useMemo(() => [Math.min(...items.map((i) => i.value)), Math.max(...items.map((i) => i.value))], [items]);
  const [hover, setHover] = useState<Item | null>(null);
  return (
    <div className="cs-view3d" data-testid="points3d">
      <div className="cs-view-controls">
        <span data-testid="points-hover">{hover ? `${hover.label}: (${hover.xyz.map((x) => x.toPrecision(4)).join(', ')})${view.values ? ` value ${hover.value.toPrecision(4)}` : ''}` : `${items.length} points`}</span>
      </div>
      <SceneRow testId="points3d-canvas" camera={[1.6, 1.3, 2.2]} lo={lo} hi={hi} css={VIRIDIS_CSS}>
        <ambientLight intensity={0.8} />
        <directionalLight position={[5, 8, 6]} intensity={1.1} />
        <Spheres items={items} lo={lo} hi={hi} onHover={setHover} />
        <axesHelper args={[1.2]} />
        <Orbit />
      </SceneRow>
      {view.note && <div className="cs-muted">{view.note}</div>}
    </div>
  );
}
