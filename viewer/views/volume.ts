// A scalar field ray-marched as a volume, optionally beside a second one (a reconstruction).
import { NEEDS_WEBGL, type ViewKind } from './kind';

export interface VolumeView {
  kind: 'volume';
  title: string;
  shape: number[];
  /** C order over `shape` (3-D). */
  values: number[];
  /** A second field of the same shape, drawn beside with a linked camera. */
  compare?: number[];
  note?: string;
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    volume: VolumeView;
  }
}

export const volumeView: ViewKind<VolumeView> = {
  kind: 'volume',
  doc: 'a 3-D scalar field ray-marched with a transfer function, optionally beside a second field (editor only)',
  component: async () => (await import('../Volume')).Volume,
  headless: () => ({ skip: NEEDS_WEBGL }),
};
