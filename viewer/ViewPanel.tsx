// One viewer node's view: the component its kind's module names (viewer/views/), imported the first
// time a view of that kind is shown. A kind no module defines is shown as an error.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { ViewRequest } from '../engine/node-api';
import { viewKind } from './views';

const loaded = new Map<string, LazyExoticComponent<ComponentType<{ view: ViewRequest }>>>();

export function ViewPanel({ view }: { view: ViewRequest }) {
  let kind;
  try {
    kind = viewKind(view.kind);
  } catch (e) {
    return (
      <p className="cs-view-error" role="alert">
        {(e as Error).message}
      </p>
    );
  }
  let C = loaded.get(kind.kind);
  if (!C) loaded.set(kind.kind, (C = lazy(async () => ({ default: await kind.component() }))));
  return <C view={view} />;
}
