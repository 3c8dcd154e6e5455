// A radiance field: an architecture (dense grid, TensoRF VM or CP) and its parameter tensors,
// evaluable at points of [−1, 1]³ to a density and a colour (engine/radiance/field.ts).
import { emptyField, paramCount, sampleField, type RadianceField } from '../radiance/field';
import type { ValueKind } from './kind';

export type RadianceValue = RadianceField;

/** The sizes that say which field it is. */
function about(f: RadianceField): string {
  const s = f.neural;
  if (f.arch === 'hash') return ` (${s!.levels} levels to ${f.resolution}³, 2^${s!.log2TableSize} × ${s!.features} each; MLP ${s!.layers} × ${s!.hidden})`;
  if (f.arch === 'mlp') return ` (${s!.frequencies} frequencies; ${s!.layers} × ${s!.hidden})`;
  return ` ${f.resolution}³${f.arch === 'dense' ? '' : `, ranks ${f.densityRank} (density) / ${f.colorRank} (colour)`}`;
}

const ARCH_NAMES = { dense: 'dense grid', vm: 'VM (TensoRF)', cp: 'CP', hash: 'hash grid + MLP (Instant-NGP)', mlp: 'MLP (NeRF encoding)' } as const;

export const radianceKind = {
  kind: 'radiance',
  doc: 'a radiance field on [−1, 1]³: an architecture (dense N³ × 4 grid, TensoRF VM or CP, an Instant-NGP hash grid or a NeRF MLP) and its params, giving a density σ ≥ 0 and a colour in [0, 1]³ at any point',
  color: '#ea580c',
  example: (): RadianceValue => emptyField('dense', 2),
  summary: (f) => ({
    parameters: paramCount(f),
    about: `${ARCH_NAMES[f.arch]}${about(f)}`,
  }),
  tensors: (f) => Object.values(f.params),
  // The largest density along z over each (x, y): the field seen from above.
  preview: async (f, port) => {
    const n = f.arch === 'mlp' ? 32 : Math.min(f.resolution, 32);
    const g = f.arch === 'dense' && f.resolution === n ? f.params.grid! : sampleField(f, n);
    await g.materialize();
    const values = new Array<number>(n * n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) values[i * n + j] = Math.max(values[i * n + j]!, g.data[((i * n + j) * n + k) * 4]!);
    return { kind: 'heatmap' as const, rows: n, cols: n, values, min: 0, max: Math.max(...values, 1e-30), label: `${port}: max σ along z` };
  },
} satisfies ValueKind<'radiance', RadianceValue>;
