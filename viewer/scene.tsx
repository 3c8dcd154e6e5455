// What the 3-D views share: instanced meshes filled from a list, the hook that tells tests and tools
// where an item is drawn on screen, and the row of a canvas beside its colour bar.
import { Canvas, useThree } from '@react-three/fiber';
import { useLayoutEffect, type ReactNode, type RefObject } from 'react';
import { Color, Matrix4, Vector3, type InstancedMesh } from 'three';
import { diverging } from './colormaps';

/** Fills an instanced mesh: one instance per item, placed, scaled and coloured (sRGB 0–255). */
export function useInstances<T>(mesh: RefObject<InstancedMesh | null>, items: readonly T[], place: (item: T) => { pos: readonly [number, number, number]; scale: number; rgb: readonly [number, number, number] }, deps: readonly unknown[]): void {
  const { invalidate } = useThree();
  useLayoutEffect(() => {
    const m = mesh.current;
    if (!m) return;
    const mat = new Matrix4();
    const color = new Color();
    items.forEach((it, i) => {
      const { pos, scale, rgb } = place(it);
      mat.makeScale(scale, scale, scale).setPosition(pos[0], pos[1], pos[2]);
      m.setMatrixAt(i, mat);
      m.setColorAt(i, color.setRGB(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255, 'srgb'));
    });
    m.count = items.length;
    m.instanceMatrix.needsUpdate = true;
    if (m.instanceColor) m.instanceColor.needsUpdate = true;
    m.computeBoundingSphere();
    invalidate();
  }, [items, invalidate, ...deps]);
}

/** For tests and tools: `canvas.corespaceProject(key)` says where the item `locate(key)` places is
 * drawn, in CSS pixels from the canvas's top left (null for no such item). */
export function useScreenProject<K>(locate: (key: K) => readonly [number, number, number] | null, deps: readonly unknown[]): void {
  const { camera, size, gl } = useThree();
  useLayoutEffect(() => {
    (gl.domElement as HTMLCanvasElement & { corespaceProject?: (key: K) => { x: number; y: number } | null }).corespaceProject = (key) => {
      const at = locate(key);
      if (!at) return null;
      const p = new Vector3(at[0], at[1], at[2]).project(camera);
      return { x: ((p.x + 1) / 2) * size.width, y: ((1 - p.y) / 2) * size.height };
    };
  }, [camera, size, gl, ...deps]);
}

/** A view's canvas (drawn on demand, white, orbit-ready) with its colour bar beside it. */
export function SceneRow({ testId, camera, lo, hi, css, children }: { testId: string; camera: [number, number, number]; lo: number; hi: number; css?: string; children: ReactNode }) {
  return (
    <div className="cs-view-row">
      <Canvas frameloop="demand" style={{ width: 'min(var(--cs-view-w, 420px), 720px)', height: 'var(--cs-view-h, 340px)' }} camera={{ position: camera, fov: 45 }} gl={{ preserveDrawingBuffer: true, antialias: true }} data-testid={testId}>
        <color attach="background" args={['#ffffff']} />
        {children}
      </Canvas>
      <ColorBar lo={lo} hi={hi} {...(css ? { css } : {})} />
    </div>
  );
}

/** A vertical colour bar from lo (bottom) to hi (top): the diverging map unless `css` gives another. */
export function ColorBar({ lo, hi, css = `linear-gradient(to top, ${[0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${diverging(2 * t - 1).join(',')})`).join(', ')})` }: { lo: number; hi: number; css?: string }) {
  return (
    <div className="cs-colorbar" data-testid="colorbar">
      <span>{hi.toPrecision(3)}</span>
      <div style={{ background: css }} />
      <span>{lo.toPrecision(3)}</span>
    </div>
  );
}
