// The view kinds: one module per kind in this folder, and this list. Adding a kind is its module
// (request type, component, headless renderer) and one line here; the editor's results panel and
// the CLI's headless runs read it, and a view of a kind not listed is an error, never drawn as
// something else.
import type { ViewRequest } from '../../engine/node-api';
import { heatmapView } from './heatmap';
import { linesView } from './lines';
import type { ViewKind } from './kind';
import { plotView } from './plot';
import { pointsView } from './points';
import { radianceView } from './radiance';
import { tensor3dView } from './tensor3d';
import { volumeView } from './volume';

export { NEEDS_WEBGL, type Headless, type ViewKind } from './kind';

/** Each kind once, its module's entry: a kind's request type is checked against its own module. */
type Entries = { [K in ViewRequest['kind']]: ViewKind<Extract<ViewRequest, { kind: K }>> };
const entries: Entries = { heatmap: heatmapView, plot: plotView, tensor3d: tensor3dView, volume: volumeView, points: pointsView, lines: linesView, radiance: radianceView };

export const viewKinds: readonly ViewKind<ViewRequest>[] = Object.values(entries) as ViewKind<ViewRequest>[];

/** The kind of a view; throws, naming the kinds there are, for one that is not registered. */
export function viewKind(kind: string): ViewKind<ViewRequest> {
  const k = viewKinds.find((v) => v.kind === kind);
  if (!k) throw new Error(`a view of kind '${kind}', which no viewer draws (view kinds: ${viewKinds.map((v) => v.kind).join(', ')})`);
  return k;
}
