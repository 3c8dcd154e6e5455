// Every entry of a 3-D tensor as a voxel (a Tucker core with its factor matrices beside it).
import { NEEDS_WEBGL, type ViewKind } from './kind';

export interface Tensor3dView {
  kind: 'tensor3d';
  title: string;
  shape: number[];
  /** C order over `shape`. */
  values: number[];
  /** Matrices drawn beside the voxels (a Tucker decomposition's factors). */
  factors?: { name: string; rows: number; cols: number; values: number[] }[];
  note?: string;
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    tensor3d: Tensor3dView;
  }
}

export const tensor3dView: ViewKind<Tensor3dView> = {
  kind: 'tensor3d',
  doc: 'every entry of a 3-D tensor as a voxel sized and coloured by value, with orbit, hover, threshold and slice planes (editor only)',
  component: async () => (await import('../Tensor3D')).Tensor3D,
  headless: () => ({ skip: NEEDS_WEBGL }),
};
