// Lines of 3-D space (Plücker coordinates read as lines): segments through their closest points to
// the origin, coloured by index or a value, the unit sphere as reference; orbit and hover.
import { NEEDS_WEBGL, type ViewKind } from './kind';

export interface LinesView {
  kind: 'lines';
  title: string;
  /** n × 9, row-major: the closest point (3), the direction d (3), the moment m (3). */
  lines: number[];
  /** The Plücker coordinates of each line, n × 6 (shown on hover). */
  coordinates: number[];
  /** One per line: colours them (viridis); default, by index. */
  values?: number[];
  /** Each drawn line's row in the table (lines at infinity are not drawn). */
  indices?: number[];
  note?: string;
}

declare module '../../engine/node-api' {
  interface ViewRequests {
    lines: LinesView;
  }
}

export const linesView: ViewKind<LinesView> = {
  kind: 'lines',
  doc: 'lines of 3-D space from Plücker coordinates, drawn through their closest points with the unit sphere, orbit and hover (editor only)',
  component: async () => (await import('../Lines3D')).Lines3D,
  headless: () => ({ skip: NEEDS_WEBGL }),
};
