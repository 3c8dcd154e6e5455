// Which node types a wire dragged onto empty canvas can end at (ComfyUI's and Blender's "drop a
// link, pick a node"): from an output, the types with an input that accepts its type; from an
// input, the types with an output of a type it accepts. Each with the port the new wire takes.
import { accepts, type AnyNodeDefinition } from '../engine/node-api';
import type { PortType } from '../engine/values';

export interface WireEnd {
  /** 'source': the wire starts at an output of `types`; 'target': at an input accepting `types`. */
  side: 'source' | 'target';
  types: readonly PortType[];
}

export interface Candidate {
  def: AnyNodeDefinition;
  /** The port of the new node the wire connects to (its first compatible one). */
  port: string;
}

export function compatibleNodes(defs: readonly AnyNodeDefinition[], end: WireEnd): Candidate[] {
  const out: Candidate[] = [];
  for (const def of defs) {
    const port =
      end.side === 'source'
        ? def.inputs.find((i) => end.types.some((t) => accepts(i).includes(t)))?.name
        : def.outputs.find((o) => end.types.includes(o.type))?.name;
    if (port !== undefined) out.push({ def, port });
  }
  return out;
}
