// Graph structure: topological order, ancestors, cycles. Works on ids and edges only.
import type { GraphDoc } from './schema';

export interface Adjacency {
  ids: string[];
  /** node id → ids of nodes it feeds (one entry per edge). */
  out: Map<string, string[]>;
  /** node id → ids of nodes feeding it. */
  in: Map<string, string[]>;
}

/** Dependencies: the edges, plus `extra` (from → to) links such as a sweep's reference. */
export function adjacency(doc: Pick<GraphDoc, 'nodes' | 'edges'>, extra: readonly { from: string; to: string }[] = []): Adjacency {
  const ids = doc.nodes.map((n) => n.id);
  const out = new Map(ids.map((id) => [id, [] as string[]]));
  const inn = new Map(ids.map((id) => [id, [] as string[]]));
  for (const { from, to } of [...doc.edges.map((e) => ({ from: e.from.node, to: e.to.node })), ...extra]) {
    if (!out.has(from) || !inn.has(to)) continue; // dangling: reported by validation
    out.get(from)!.push(to);
    inn.get(to)!.push(from);
  }
  return { ids, out, in: inn };
}

/** Kahn's algorithm, always taking the ready node that comes first in the file, so the run order
 * is the file order wherever the edges allow it. Returns null when there is a cycle. */
export function topologicalOrder(adj: Adjacency): string[] | null {
  const position = new Map(adj.ids.map((id, i) => [id, i]));
  const indeg = new Map(adj.ids.map((id) => [id, adj.in.get(id)!.length]));
  const order: string[] = [];
  // The ready nodes in a binary min-heap of file positions: O(n log n) (a sorted array's inserts
  // made a fan-out of 20 000 quadratic).
  const heap: number[] = [];
  const push = (p: number) => {
    heap.push(p);
    for (let i = heap.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (heap[up]! <= heap[i]!) break;
      [heap[up], heap[i]] = [heap[i]!, heap[up]!];
      i = up;
    }
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < heap.length && heap[l]! < heap[m]!) m = l;
        if (r < heap.length && heap[r]! < heap[m]!) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };
  adj.ids.forEach((id, i) => indeg.get(id) === 0 && push(i));
  while (heap.length) {
    const id = adj.ids[pop()]!;
    order.push(id);
    for (const next of adj.out.get(id)!) {
      const d = indeg.get(next)! - 1;
      indeg.set(next, d);
      if (d === 0) push(position.get(next)!);
    }
  }
  return order.length === adj.ids.length ? order : null;
}

/** The cycles of the graph, one per strongly connected component, each as a closed walk of ids. */
export function findCycles(adj: Adjacency): string[][] {
  // Tarjan's strongly connected components, iteratively (graphs may be long chains).
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  for (const root of adj.ids) {
    if (idx.has(root)) continue;
    const work: { id: string; i: number }[] = [{ id: root, i: 0 }];
    idx.set(root, index);
    low.set(root, index++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const succ = adj.out.get(top.id)!;
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ id: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.id, Math.min(low.get(top.id)!, idx.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.id;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.id)!));
      }
      if (low.get(top.id) === idx.get(top.id)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.id);
        const selfLoop = adj.out.get(top.id)!.includes(top.id);
        if (comp.length > 1 || selfLoop) cycles.push(walkCycle(comp, adj));
      }
    }
  }
  return cycles;
}

/** A concrete closed walk through one strongly connected component, for the error message. */
function walkCycle(comp: string[], adj: Adjacency): string[] {
  const inComp = new Set(comp);
  const start = comp[comp.length - 1]!;
  const path = [start];
  for (;;) {
    const succ = adj.out.get(path[path.length - 1]!)!.filter((n) => inComp.has(n));
    // Prefer closing the loop, then a node not yet visited; any successor in the component closes a cycle.
    const next = succ.find((n) => n === start) ?? succ.find((n) => !path.includes(n)) ?? succ[0]!;
    const at = path.indexOf(next);
    if (at >= 0) return [...path.slice(at), next];
    path.push(next);
  }
}

/** The targets and everything upstream of them. */
export function ancestorsOf(adj: Adjacency, targets: readonly string[]): Set<string> {
  const keep = new Set<string>();
  const todo = [...targets];
  while (todo.length) {
    const id = todo.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    todo.push(...(adj.in.get(id) ?? []));
  }
  return keep;
}
