// Radiance fields in the editor: each field ray-marched live in three.js by the engine's own rule
// (engine/radiance/render.ts) — a ray per pixel through its centre from the camera (forward to the
// origin, z up, vertical field of view 40°, as cameraRays), `samples` midpoints of equal steps
// between the ray's entry and exit of [−1, 1]³, the field trilinear between its n³ corner-aligned
// nodes (texelFetch of a float texture, no filtering), α = 1 − exp(−scale·σ·δ), C = Σ T α c + T·bg
// — teacher, student and 4 × |teacher − student| side by side with linked cameras; orbit by
// dragging, density scale and background below. The engine's own renders (with PSNR) follow.
import { Canvas, useFrame, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Data3DTexture, FloatType, GLSL3, NearestFilter, RGBAFormat, ShaderMaterial, Vector2, Vector3 } from 'three';
import type { ViewRequest } from '../engine/node-api';
import { Orbit, type CameraLink } from './orbit';
import { pngDataUrl } from './png';

type RadianceView = Extract<ViewRequest, { kind: 'radiance' }>;

const VERTEX = /* glsl */ `
void main() {
  gl_Position = vec4(position.xy, 0.0, 1.0);
}`;

const FRAGMENT = /* glsl */ `
precision highp float;
precision highp int;
precision highp sampler3D;
uniform sampler3D uA;
uniform sampler3D uB;
uniform int uN;
uniform int uMode; // 0: field A; 1: 4 |A − B|
uniform int uSamples;
uniform float uScale;
uniform vec3 uBg;
uniform vec3 uEye;
uniform float uTanHalf;
uniform vec2 uSize;
out vec4 fragColor;

// The field at p ∈ [−1, 1]³: trilinear over its nodes (node i at −1 + 2i/(n − 1); texel (k, j, i)
// holds node (i, j, k), the grid format's C order), clamped as a dense field's values are.
vec4 field(sampler3D t, vec3 p) {
  vec3 g = (p + 1.0) * 0.5 * float(uN - 1);
  ivec3 i = min(ivec3(floor(g)), ivec3(uN - 2));
  vec3 f = g - vec3(i);
  vec4 s = vec4(0.0);
  for (int c = 0; c < 8; c++) {
    ivec3 d = ivec3(c & 1, (c >> 1) & 1, (c >> 2) & 1);
    vec3 w = mix(1.0 - f, f, vec3(d));
    ivec3 at = i + d;
    s += w.x * w.y * w.z * texelFetch(t, ivec3(at.z, at.y, at.x), 0);
  }
  return vec4(max(s.x, 0.0), clamp(s.yzw, 0.0, 1.0));
}

vec3 march(sampler3D t, vec3 o, vec3 d) {
  // Slab method, as rayBox: entry lo, exit hi; a miss shows the background.
  float lo = 0.0;
  float hi = 1e30;
  for (int a = 0; a < 3; a++) {
    if (abs(d[a]) < 1e-12) {
      if (o[a] < -1.0 || o[a] > 1.0) return uBg;
      continue;
    }
    float t0 = (-1.0 - o[a]) / d[a];
    float t1 = (1.0 - o[a]) / d[a];
    lo = max(lo, min(t0, t1));
    hi = min(hi, max(t0, t1));
  }
  if (hi <= lo) return uBg;
  float delta = (hi - lo) / float(uSamples);
  float T = 1.0;
  vec3 c = vec3(0.0);
  for (int s = 0; s < uSamples; s++) {
    vec3 p = clamp(o + (lo + (float(s) + 0.5) * delta) * d, -1.0, 1.0);
    vec4 v = field(t, p);
    float a = 1.0 - exp(-uScale * v.x * delta);
    c += T * a * v.yzw;
    T *= 1.0 - a;
  }
  return c + T * uBg;
}

void main() {
  // The camera of cameraRays: forward to the origin, right = forward × z, up = right × forward.
  vec3 forward = normalize(-uEye);
  vec3 right = normalize(cross(forward, vec3(0.0, 0.0, 1.0)));
  vec3 up = cross(right, forward);
  // gl_FragCoord is the pixel centre from the bottom left; cameraRays counts rows from the top.
  float px = (2.0 * gl_FragCoord.x / uSize.x - 1.0) * uTanHalf * uSize.x / uSize.y;
  float py = (2.0 * gl_FragCoord.y / uSize.y - 1.0) * uTanHalf;
  vec3 d = normalize(forward + px * right + py * up);
  vec3 a = march(uA, uEye, d);
  fragColor = vec4(uMode == 0 ? a : clamp(4.0 * abs(a - march(uB, uEye, d)), 0.0, 1.0), 1.0);
}`;

/** A canvas's side: up to three in a row within the panel. */
const SIDE = 'min(var(--cs-view-h, 300px), calc((var(--cs-view-w, 1000px) - 40px) / 3), 320px)';

function gridTexture(n: number, values: Float32Array): Data3DTexture {
  const tex = new Data3DTexture(values, n, n, n);
  tex.format = RGBAFormat;
  tex.type = FloatType;
  tex.minFilter = tex.magFilter = NearestFilter;
  tex.unpackAlignment = 4;
  tex.needsUpdate = true;
  return tex;
}

/** The quad's uniforms follow the camera and the drawing buffer every frame. */
function Marcher({ material }: { material: ShaderMaterial }) {
  const size = useMemo(() => new Vector2(), []);
  useFrame(({ camera, gl }) => {
    (material.uniforms.uEye!.value as Vector3).copy(camera.position);
    (material.uniforms.uSize!.value as Vector2).copy(gl.getDrawingBufferSize(size));
  });
  return (
    <mesh material={material} frustumCulled={false}>
      <planeGeometry args={[2, 2]} />
    </mesh>
  );
}

/** Draws a frame when the settings change (the canvases draw on demand). */
function Invalidate({ on }: { on: unknown }) {
  const { invalidate } = useThree();
  useEffect(() => void invalidate(), [on, invalidate]);
  return null;
}

interface Settings {
  scale: number;
  background: 'white' | 'black';
}

function FieldCanvas({ id, label, a, b, v, settings, link, onLink }: { id: string; label: string; a: Data3DTexture; b?: Data3DTexture; v: NonNullable<RadianceView['volume']>; settings: Settings; link: CameraLink | null; onLink: (l: CameraLink) => void }) {
  const material = useMemo(
    () =>
      new ShaderMaterial({
        glslVersion: GLSL3,
        vertexShader: VERTEX,
        fragmentShader: FRAGMENT,
        depthTest: false,
        uniforms: {
          uA: { value: a },
          uB: { value: b ?? a },
          uN: { value: v.n },
          uMode: { value: b ? 1 : 0 },
          uSamples: { value: v.samples },
          uScale: { value: 1 },
          uBg: { value: new Vector3() },
          uEye: { value: new Vector3() },
          uTanHalf: { value: Math.tan((40 * Math.PI) / 360) },
          uSize: { value: new Vector2(1, 1) },
        },
      }),
    [a, b, v],
  );
  material.uniforms.uScale!.value = settings.scale;
  (material.uniforms.uBg!.value as Vector3).setScalar(settings.background === 'white' ? 1 : 0);
  const eye: [number, number, number] = [3.5 * Math.cos(v.elevation) * Math.cos(v.azimuth), 3.5 * Math.cos(v.elevation) * Math.sin(v.azimuth), 3.5 * Math.sin(v.elevation)];
  return (
    <figure className="cs-volume">
      <Canvas frameloop="demand" linear flat style={{ width: SIDE, height: SIDE }} camera={{ position: eye, up: [0, 0, 1], fov: 40 }} gl={{ preserveDrawingBuffer: true, antialias: false }} data-testid={`radiance-canvas-${id}`}>
        <Marcher material={material} />
        <Invalidate on={settings} />
        <Orbit id={id} link={link} onChange={onLink} />
      </Canvas>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export function Radiance({ view }: { view: RadianceView }) {
  const v = view.volume;
  const [settings, setSettings] = useState<Settings>({ scale: v?.densityScale ?? 1, background: v && v.background[0] === 0 ? 'black' : 'white' });
  const [link, setLink] = useState<CameraLink | null>(null);
  const onLink = useCallback((l: CameraLink) => setLink(l), []);
  const textures = useMemo(() => (v ? { a: gridTexture(v.n, v.teacher), b: v.student ? gridTexture(v.n, v.student) : undefined } : null), [v]);
  const image = useMemo(() => pngDataUrl(view.width, view.height, view.rgb), [view]);
  return (
    <div className="cs-view3d" data-testid="radiance">
      {v && textures && (
        <>
          <div className="cs-view-controls">
            <label>
              density × <input type="range" min={-2} max={2} step={0.05} value={Math.log10(settings.scale)} onChange={(e) => setSettings({ ...settings, scale: 10 ** Number(e.target.value) })} data-testid="radiance-scale" /> {settings.scale.toPrecision(3)}
            </label>
            <label>
              background{' '}
              <select value={settings.background} onChange={(e) => setSettings({ ...settings, background: e.target.value as Settings['background'] })} data-testid="radiance-background">
                <option value="white">white</option>
                <option value="black">black</option>
              </select>
            </label>
          </div>
          <div className="cs-view-row">
            <FieldCanvas id="teacher" label={textures.b ? 'teacher' : 'field'} a={textures.a} v={v} settings={settings} link={link} onLink={onLink} />
            {textures.b && <FieldCanvas id="student" label="student" a={textures.b} v={v} settings={settings} link={link} onLink={onLink} />}
            {textures.b && <FieldCanvas id="diff" label="|teacher − student| × 4" a={textures.a} b={textures.b} v={v} settings={settings} link={link} onLink={onLink} />}
          </div>
          <div className="cs-muted">
            {v.n}³ nodes a field, {v.samples} samples a ray; drag to orbit (the cameras move together)
          </div>
        </>
      )}
      <figure>
        <img src={image} width={view.width} height={view.height} alt={view.title} data-testid="radiance-image" />
        <figcaption>
          {view.title}
          {view.note ? ` — ${view.note}` : ''}
        </figcaption>
      </figure>
    </div>
  );
}
