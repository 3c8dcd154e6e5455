// Every entry of a 3-D tensor as a voxel: one instanced mesh (one draw call; point sprites, still one
// draw call, above POINTS_ABOVE entries so 64³ stays interactive), size by |value|,
// colour by value (viridis for magnitudes, the diverging map for signed data; a colour bar beside it), orbit and zoom, hover for the index and
// value, a threshold that hides small entries, a slice plane along any mode. 4-D and larger: a grid
// of 3-D slices along the extra modes. The node caps what arrives at 64³ entries (block means).
import { useThree, type ThreeEvent } from '@react-three/fiber';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { BufferAttribute, BufferGeometry, InstancedMesh, ShaderMaterial } from 'three';
import type { ViewRequest } from '../engine/node-api';
import { VIRIDIS_CSS, diverging, peakAbs, viridis } from './colormaps';
import { Orbit } from './orbit';
import { SceneRow, useInstances, useScreenProject } from './scene';

type View3d = Extract<ViewRequest, { kind: 'tensor3d' }>;
interface Voxel {
  index: number[];
  value: number;
  pos: [number, number, number];
}

/** Voxel centres: modes 0, 1, 2 along x, y, z (centred); the flattened extra modes in a grid. */
export function layoutVoxels(shape: readonly number[], values: readonly number[]): Voxel[] {
  const s3 = [shape[0] ?? 1, shape[1] ?? 1, shape[2] ?? 1];
  const extra = shape.slice(3).reduce((a, b) => a * b, 1);
  const cols = Math.ceil(Math.sqrt(extra));
  const out: Voxel[] = [];
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < values.length; flat++) {
    let g = 0;
    for (let a = 3; a < shape.length; a++) g = g * shape[a]! + idx[a]!;
    const gx = (g % cols) * (s3[0]! + 2);
    const gy = Math.floor(g / cols) * (s3[1]! + 2);
    out.push({ index: [...idx], value: values[flat]!, pos: [idx[0]! - (s3[0]! - 1) / 2 + gx, -(idx[1] ?? 0) + (s3[1]! - 1) / 2 - gy, (idx[2] ?? 0) - (s3[2]! - 1) / 2] });
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

function Voxels({ items, peak, signed, onHover }: { items: Voxel[]; peak: number; signed: boolean; onHover: (v: Voxel | null) => void }) {
  const mesh = useRef<InstancedMesh>(null);
  useInstances(mesh, items, (v) => ({ pos: v.pos, scale: 0.25 + 0.7 * Math.sqrt(Math.abs(v.value) / peak), rgb: signed ? diverging(v.value / peak) : viridis(v.value / peak) }), [peak, signed]);
  // For tests and tools: the canvas element can say where a voxel is drawn on screen.
  useScreenProject((index: number[]) => items.find((it) => it.index.every((k, a) => k === index[a]))?.pos ?? null, [items]);
  const move = (e: ThreeEvent<PointerEvent>) => {
    e.stopPropagation();
    if (e.instanceId !== undefined) onHover(items[e.instanceId] ?? null);
  };
  return (
    <instancedMesh ref={mesh} args={[undefined, undefined, Math.max(1, items.length)]} onPointerMove={move} onPointerOut={() => onHover(null)}>
      <boxGeometry args={[1, 1, 1]} />
      <meshLambertMaterial />
    </instancedMesh>
  );
}

/** Above this many voxels, point sprites (one vertex each) instead of boxes (12 triangles each). */
export const POINTS_ABOVE = 16_384;

const POINT_VERTEX = /* glsl */ `
attribute float size;
attribute vec3 tint;
varying vec3 vTint;
uniform float scale;
void main() {
  vTint = tint;
  vec4 mv = modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = max(1.0, size * scale / -mv.z);
  gl_Position = projectionMatrix * mv;
}`;
const POINT_FRAGMENT = /* glsl */ `
varying vec3 vTint;
void main() {
  vec2 c = gl_PointCoord - 0.5;
  if (max(abs(c.x), abs(c.y)) > 0.5) discard;
  gl_FragColor = vec4(vTint, 1.0);
}`;

function VoxelPoints({ items, peak, signed, onHover }: { items: Voxel[]; peak: number; signed: boolean; onHover: (v: Voxel | null) => void }) {
  const { size, invalidate } = useThree();
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    const pos = new Float32Array(3 * items.length);
    const tint = new Float32Array(3 * items.length);
    const sz = new Float32Array(items.length);
    items.forEach((v, i) => {
      pos.set(v.pos, 3 * i);
      const [r, gg, b] = signed ? diverging(v.value / peak) : viridis(v.value / peak);
      tint.set([(r / 255) ** 2.2, (gg / 255) ** 2.2, (b / 255) ** 2.2], 3 * i);
      sz[i] = 0.25 + 0.7 * Math.sqrt(Math.abs(v.value) / peak);
    });
    g.setAttribute('position', new BufferAttribute(pos, 3));
    g.setAttribute('tint', new BufferAttribute(tint, 3));
    g.setAttribute('size', new BufferAttribute(sz, 1));
    g.computeBoundingSphere();
    return g;
  }, [items, peak, signed]);
  const material = useMemo(() => new ShaderMaterial({ vertexShader: POINT_VERTEX, fragmentShader: POINT_FRAGMENT, uniforms: { scale: { value: size.height } } }), [size.height]);
  useLayoutEffect(() => invalidate(), [geometry, invalidate]);
  return <points geometry={geometry} material={material} onPointerMove={(e) => (e.stopPropagation(), e.index !== undefined && onHover(items[e.index] ?? null))} onPointerOut={() => onHover(null)} />;
}

export function Tensor3D({ view }: { view: View3d }) {
  const all = useMemo(() => layoutVoxels(view.shape, view.values), [view]);
  const peak = useMemo(() => peakAbs(view.values), [view]);
  // Viridis over [0, max] for magnitudes; the diverging map over [−max|v|, max|v|] once a value is negative.
  const signed = useMemo(() => view.values.some((v) => v < 0), [view]);
  const [threshold, setThreshold] = useState(0);
  const [plane, setPlane] = useState<{ mode: number; index: number }>({ mode: -1, index: 0 });
  const [hover, setHover] = useState<Voxel | null>(null);
  const items = useMemo(() => all.filter((v) => Math.abs(v.value) >= threshold * peak && (plane.mode < 0 || v.index[plane.mode] === plane.index)), [all, threshold, peak, plane]);
  const extent = Math.max(...view.shape.slice(0, 3), 2);
  return (
    <div className="cs-view3d" data-testid="tensor3d">
      <div className="cs-view-controls">
        <label>
          hide |v| below <input type="range" min={0} max={0.99} step={0.01} value={threshold} onChange={(e) => setThreshold(Number(e.target.value))} data-testid="tensor3d-threshold" /> {(threshold * peak).toPrecision(3)}
        </label>
        <label>
          slice{' '}
          <select value={plane.mode} onChange={(e) => setPlane({ mode: Number(e.target.value), index: 0 })} data-testid="tensor3d-mode">
            <option value={-1}>all</option>
            {view.shape.map((n, m) => (
              <option key={m} value={m}>
                mode {m} ({n})
              </option>
            ))}
          </select>
          {plane.mode >= 0 && <input type="range" min={0} max={view.shape[plane.mode]! - 1} value={plane.index} onChange={(e) => setPlane({ ...plane, index: Number(e.target.value) })} data-testid="tensor3d-index" />}
          {plane.mode >= 0 && ` ${plane.index}`}
        </label>
        <span data-testid="voxel-hover">{hover ? `[${hover.index.join(', ')}] = ${hover.value.toPrecision(6)}` : `${items.length} of ${all.length} entries`}</span>
      </div>
      <SceneRow testId="tensor3d-canvas" camera={[extent * 1.3, extent * 1.1, extent * 1.8]} lo={signed ? -peak : 0} hi={peak} {...(signed ? {} : { css: VIRIDIS_CSS })}>
        <ambientLight intensity={0.7} />
        <directionalLight position={[5, 8, 6]} intensity={1.2} />
        {items.length > POINTS_ABOVE ? <VoxelPoints items={items} peak={peak} signed={signed} onHover={setHover} /> : <Voxels items={items} peak={peak} signed={signed} onHover={setHover} />}
        <Orbit />
      </SceneRow>
      {view.factors && (
        <div className="cs-view-row cs-factors" data-testid="tensor3d-factors">
          {view.factors.map((f) => (
            <FactorMap key={f.name} f={f} />
          ))}
        </div>
      )}
      {view.note && <div className="cs-muted">{view.note}</div>}
    </div>
  );
}

/** A factor matrix as a small diverging heatmap (rows down, columns across), with hover. */
function FactorMap({ f }: { f: NonNullable<View3d['factors']>[number] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState('');
  const peak = useMemo(() => peakAbs(f.values), [f]);
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(f.cols, f.rows);
    f.values.forEach((v, i) => img.data.set([...diverging(v / peak), 255], 4 * i));
    ctx.putImageData(img, 0, 0);
  }, [f, peak]);
  const scale = Math.max(1, Math.min(12, Math.floor(160 / Math.max(f.rows, f.cols))));
  return (
    <figure className="cs-volume">
      <canvas
        ref={ref}
        width={f.cols}
        height={f.rows}
        style={{ width: f.cols * scale, height: f.rows * scale, imageRendering: 'pixelated', border: '1px solid #e5e7eb' }}
        onMouseMove={(e) => {
          const r = Math.floor(e.nativeEvent.offsetY / scale);
          const c = Math.floor(e.nativeEvent.offsetX / scale);
          const v = f.values[r * f.cols + c];
          setHover(v === undefined ? '' : `[${r}, ${c}] = ${v.toPrecision(4)}`);
        }}
        onMouseLeave={() => setHover('')}
      />
      <figcaption>{hover || f.name}</figcaption>
    </figure>
  );
}
