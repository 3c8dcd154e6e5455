// Ray-marched volume rendering of a 3-D scalar field, as NeRF renders: along each view ray through
// the unit cube, samples of the field (a Data3DTexture, trilinear) pass through the transfer
// function (opacity ramp between lo and hi, times the density scale σ; colour from the map stretched
// over cLo … cHi) and are
// composited front to back with α = 1 − exp(−σ·δ). With a second field: the two side by side with
// linked cameras, and their absolute difference.
import { Canvas } from '@react-three/fiber';
import { useCallback, useMemo, useState } from 'react';
import { BackSide, Data3DTexture, DataTexture, GLSL3, LinearFilter, RedFormat, RGBAFormat, ShaderMaterial, UnsignedByteType, Vector3 } from 'three';
import type { ViewRequest } from '../engine/node-api';
import { diverging, viridis } from './colormaps';
import { Orbit, type CameraLink } from './orbit';
import { ColorBar } from './scene';

type VolumeView = Extract<ViewRequest, { kind: 'volume' }>;
/** Opacity ramps from 0 at `lo` to 1 at `hi` (times σ); the colour map spans cLo … cHi. */
export interface TransferFunction {
  lo: number;
  hi: number;
  sigma: number;
  cLo: number;
  cHi: number;
  map: 'viridis' | 'diverging';
}

// The box spans ±uHalf (the field's aspect ratio, longest side 1); the mesh sits unrotated at the
// origin, so object and world space agree and cameraPosition can be used as the ray origin.
const VERTEX = /* glsl */ `
out vec3 vPos;
void main() {
  vPos = position;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

const FRAGMENT = /* glsl */ `
precision highp float;
precision highp sampler3D;
uniform sampler3D uVol;
uniform sampler2D uMap;
uniform float uLo, uHi, uSigma, uCLo, uCHi;
uniform vec3 uHalf;
in vec3 vPos;
out vec4 fragColor;
// Ray parameter range inside the box [-uHalf, uHalf].
vec2 hitBox(vec3 o, vec3 d) {
  vec3 t0 = (-uHalf - o) / d;
  vec3 t1 = (uHalf - o) / d;
  vec3 lo = min(t0, t1), hi = max(t0, t1);
  return vec2(max(max(lo.x, lo.y), lo.z), min(min(hi.x, hi.y), hi.z));
}
void main() {
  vec3 o = cameraPosition;
  vec3 d = normalize(vPos - o);
  vec2 t = hitBox(o, d);
  t.x = max(t.x, 0.0);
  const int STEPS = 192;
  float dt = 2.0 * length(uHalf) / float(STEPS);
  vec3 color = vec3(0.0);
  float T = 1.0;
  for (int i = 0; i < STEPS; i++) {
    float s = t.x + (float(i) + 0.5) * dt;
    if (s > t.y) break;
    float v = texture(uVol, (o + s * d) / (2.0 * uHalf) + 0.5).r;
    float ramp = clamp((v - uLo) / max(uHi - uLo, 1e-4), 0.0, 1.0);
    float alpha = 1.0 - exp(-uSigma * ramp * dt);
    float c = clamp((v - uCLo) / max(uCHi - uCLo, 1e-4), 0.0, 1.0);
    color += T * alpha * texture(uMap, vec2(c, 0.5)).rgb;
    T *= 1.0 - alpha;
    if (T < 0.005) break;
  }
  fragColor = vec4(color + T * vec3(1.0), 1.0);
}`;

/** A volume canvas's side: the panel's height, and up to three side by side with the colour bar
 * (the panel sets the variables; ResultsPanel.tsx). */
const VOLUME_SIDE = 'min(var(--cs-view-h, 300px), calc((var(--cs-view-w, 1000px) - 100px) / 3), 360px)';

/** The values' extent, and the range the colour map spans: [min, max], or symmetric about 0 for
 * data of both signs, so that 0 sits in the middle of a diverging map. */
export function fieldRange(values: readonly number[], compare: readonly number[] = []): { min: number; max: number; lo: number; hi: number; signed: boolean } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const negative = min < 0;
  const positive = max > 0;
  // A comparison widens the range but does not decide the signs (a reconstruction of a positive
  // field undershoots 0 a little; that is no signed data).
  for (const v of compare) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const signed = negative && positive;
  const peak = Math.max(-min, max);
  return signed ? { min, max, lo: -peak, hi: peak, signed } : { min, max, lo: min, hi: max, signed };
}

/** The field as 8-bit texels over [lo, hi] (x fastest: numpy's C order read as z, y, x). */
function volumeTexture(shape: readonly number[], values: readonly number[], range: { lo: number; hi: number }): Data3DTexture {
  const { lo } = range;
  const span = range.hi - lo || 1;
  const bytes = Uint8Array.from(values, (v) => Math.round((255 * (v - lo)) / span));
  const [d0, d1, d2] = shape as [number, number, number];
  const tex = new Data3DTexture(bytes, d2, d1, d0);
  tex.format = RedFormat;
  tex.type = UnsignedByteType;
  tex.minFilter = tex.magFilter = LinearFilter;
  tex.unpackAlignment = 1;
  tex.needsUpdate = true;
  return tex;
}

function mapTexture(map: TransferFunction['map']): DataTexture {
  const data = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) data.set([...(map === 'viridis' ? viridis(i / 255) : diverging((2 * i) / 255 - 1)), 255], 4 * i);
  const tex = new DataTexture(data, 256, 1, RGBAFormat);
  tex.minFilter = tex.magFilter = LinearFilter;
  tex.needsUpdate = true;
  return tex;
}

function VolumeCanvas({ id, shape, values, range, tf, link, onLink, label }: { id: string; shape: number[]; values: readonly number[]; range: ReturnType<typeof fieldRange>; tf: TransferFunction; link: CameraLink | null; onLink: (l: CameraLink) => void; label: string }) {
  const tex = useMemo(() => volumeTexture(shape, values, range), [shape, values, range]);
  const { min, max } = useMemo(() => fieldRange(values), [values]);
  // Texture x, y, z are axes 2, 1, 0 of the field.
  const half = useMemo(() => {
    const longest = Math.max(...shape);
    return [shape[2]! / longest / 2, shape[1]! / longest / 2, shape[0]! / longest / 2] as [number, number, number];
  }, [shape]);
  const material = useMemo(
    () => new ShaderMaterial({ glslVersion: GLSL3, vertexShader: VERTEX, fragmentShader: FRAGMENT, side: BackSide, uniforms: { uVol: { value: tex }, uMap: { value: mapTexture(tf.map) }, uLo: { value: tf.lo }, uHi: { value: tf.hi }, uSigma: { value: tf.sigma }, uCLo: { value: tf.cLo }, uCHi: { value: tf.cHi }, uHalf: { value: new Vector3(...half) } } }),
    [tex, tf, half],
  );
  return (
    <figure className="cs-volume">
      <Canvas frameloop="demand" style={{ width: VOLUME_SIDE, height: VOLUME_SIDE }} camera={{ position: [1.1, 0.9, 1.5], fov: 40 }} gl={{ preserveDrawingBuffer: true }} data-testid={`volume-canvas-${id}`}>
        <mesh material={material}>
          <boxGeometry args={[2 * half[0], 2 * half[1], 2 * half[2]]} />
        </mesh>
        <Orbit id={id} link={link} onChange={onLink} />
      </Canvas>
      <figcaption>
        {label} · {min.toPrecision(3)} … {max.toPrecision(3)}
      </figcaption>
    </figure>
  );
}

export function Volume({ view }: { view: VolumeView }) {
  // The field and its comparison share one colour range (so their colours compare); the
  // difference has its own.
  const range = useMemo(() => fieldRange(view.values, view.compare), [view]);
  const [tf, setTf] = useState<TransferFunction>({ lo: 0.2, hi: 0.8, sigma: 40, cLo: 0, cHi: 1, map: range.signed ? 'diverging' : 'viridis' });
  const [link, setLink] = useState<CameraLink | null>(null);
  const onLink = useCallback((l: CameraLink) => setLink(l), []);
  const diff = useMemo(() => (view.compare ? view.values.map((v, i) => Math.abs(v - view.compare![i]!)) : null), [view]);
  const diffRange = useMemo(() => (diff ? fieldRange(diff) : null), [diff]);
  // The colour bar in the data's units: the map's stretch cLo … cHi of the shared range.
  const at = (t: number) => range.lo + t * (range.hi - range.lo);
  const slider = (key: 'lo' | 'hi' | 'sigma' | 'cLo' | 'cHi', min: number, max: number, step: number) => (
    <label>
      {{ lo: 'opacity from', hi: 'to', sigma: 'σ', cLo: 'colour from', cHi: 'to' }[key]} <input type="range" min={min} max={max} step={step} value={tf[key]} onChange={(e) => setTf({ ...tf, [key]: Number(e.target.value) })} data-testid={`volume-${key}`} /> {tf[key]}
    </label>
  );
  return (
    <div className="cs-view3d" data-testid="volume">
      <div className="cs-view-controls">
        {slider('lo', 0, 1, 0.01)}
        {slider('hi', 0, 1, 0.01)}
        {slider('sigma', 1, 200, 1)}
        {slider('cLo', 0, 1, 0.01)}
        {slider('cHi', 0, 1, 0.01)}
        <select value={tf.map} onChange={(e) => setTf({ ...tf, map: e.target.value as TransferFunction['map'] })} data-testid="volume-map">
          <option value="viridis">viridis</option>
          <option value="diverging">diverging</option>
        </select>
      </div>
      <div className="cs-view-row">
        <VolumeCanvas id="a" label="volume" shape={view.shape} values={view.values} range={range} tf={tf} link={link} onLink={onLink} />
        {view.compare && <VolumeCanvas id="b" label="compare" shape={view.shape} values={view.compare} range={range} tf={tf} link={link} onLink={onLink} />}
        {diff && diffRange && <VolumeCanvas id="diff" label="|difference|" shape={view.shape} values={diff} range={diffRange} tf={tf} link={link} onLink={onLink} />}
        <ColorBar lo={at(tf.cLo)} hi={at(tf.cHi)} css={`linear-gradient(to top, ${[0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${(tf.map === 'viridis' ? viridis(t) : diverging(2 * t - 1)).join(',')})`).join(', ')})`} />
      </div>
      {view.note && <div className="cs-muted">{view.note}</div>}
    </div>
  );
}
