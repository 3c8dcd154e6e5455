// The node registry: an explicit list (no registration by side effect), the single source for
// validation, the CLI's catalogue and the editor's palette.
import type { AnyNodeDefinition, Registry } from '../engine';
import { exportNpy } from './export/npy';
import { metricsCompare } from './metrics/compare';
import { sourceFunction } from './source/function';
import { sourceImage } from './source/image';
import { sourceNpy } from './source/npy';
import { sourceSynthetic } from './source/synthetic';

export const registry: Registry = {
  nodes: [sourceNpy, sourceSynthetic, sourceFunction, sourceImage, metricsCompare, exportNpy] as unknown as AnyNodeDefinition[],
  renames: {},
};
