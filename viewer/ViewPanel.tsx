// One viewer node's view, whichever kind it is.
import type { ViewRequest } from '../engine/node-api';
import { Tensor3D } from './Tensor3D';
import { VegaView } from './VegaView';
import { Volume } from './Volume';

export function ViewPanel({ view }: { view: ViewRequest }) {
  if (view.kind === 'tensor3d') return <Tensor3D view={view} />;
  if (view.kind === 'volume') return <Volume view={view} />;
  return <VegaView view={view} />;
}
