// Orbit controls for the 3-D views (three's OrbitControls on the R3F camera). With `link`, cameras
// of several canvases follow each other: each change is published and the others copy it.
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export interface CameraLink {
  position: [number, number, number];
  version: number;
  source: string;
}

export function Orbit({ id, link, onChange }: { id?: string; link?: CameraLink | null; onChange?: (l: CameraLink) => void }) {
  const { camera, gl, invalidate } = useThree();
  const controls = useRef<OrbitControls | null>(null);
  const applied = useRef(0);
  useEffect(() => {
    const c = new OrbitControls(camera, gl.domElement);
    c.enableDamping = false;
    c.addEventListener('change', () => {
      invalidate();
      if (onChange && id) onChange({ position: camera.position.toArray() as [number, number, number], version: Date.now() + Math.random(), source: id });
    });
    controls.current = c;
    return () => c.dispose();
  }, [camera, gl, invalidate, id, onChange]);
  // Views draw on demand: a camera moved elsewhere asks for a frame here.
  useEffect(() => {
    if (link && link.source !== id) invalidate();
  }, [link, id, invalidate]);
  useFrame(() => {
    if (!link || link.source === id || link.version === applied.current) return;
    applied.current = link.version;
    camera.position.fromArray(link.position);
    camera.lookAt(0, 0, 0);
    controls.current?.update();
  });
  return null;
}
