// The graph file format, version 1 — one file for the editor and the headless runner alike.
// Plain JSON data: what executes (nodes, edges) is separate from `layout`, which the runner ignores.
// Node params are checked against each node type's own schema in validate.ts, not here, so a node
// of an unknown type (from a newer Corespace) still loads and round-trips unchanged.
import { z } from 'zod';

export const GRAPH_FORMAT = 'corespace.graph';
export const GRAPH_VERSION = 1;

const id = z.string().min(1, 'ids are non-empty strings');

export const PortRefSchema = z
  .object({
    node: id.describe('id of the node'),
    port: z.string().min(1).describe('name of the port on that node'),
  })
  .strict();

export const NodeSchema = z
  .object({
    id: id.describe('unique node id'),
    type: z.string().min(1).describe('node type id, e.g. "decompose.tucker" (see `corespace nodes`)'),
    typeVersion: z.number().int().min(1).default(1).describe('version of the node type the params were saved with'),
    params: z.record(z.string(), z.unknown()).default({}).describe('parameters by name; omitted ones take the defaults'),
    title: z.string().optional().describe('user-given label'),
    bypass: z
      .boolean()
      .optional()
      .describe("skipped when the graph runs: each output passes on the node's first connected input of the same type (ComfyUI's bypass); its params are kept but not checked"),
  })
  .strict();

export const EdgeSchema = z
  .object({
    id: id.describe('unique edge id'),
    from: PortRefSchema.describe('output port'),
    to: PortRefSchema.describe('input port'),
  })
  .strict();

const Point = z.object({ x: z.number(), y: z.number() });

export const LayoutSchema = z
  .object({
    positions: z.record(z.string(), Point).default({}).describe('canvas position per node id'),
    viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number() }).partial().optional(),
    collapsed: z.array(z.string()).optional().describe('ids of the nodes shown collapsed (their header and ports only)'),
    frames: z
      .array(
        z.object({
          id: id.describe('unique frame id'),
          title: z.string().default('Group').describe('label shown on the frame'),
          x: z.number(),
          y: z.number(),
          width: z.number().min(1),
          height: z.number().min(1),
          color: z.string().optional().describe('CSS colour of the frame'),
        }),
      )
      .optional()
      .describe('frames (groups) drawn behind the nodes; moving a frame moves the nodes inside it'),
  })
  .passthrough()
  .default({ positions: {} });

export const GraphSchema = z
  .object({
    format: z.literal(GRAPH_FORMAT).describe('always "corespace.graph"'),
    version: z.literal(GRAPH_VERSION).describe('file format version; older files are migrated on load'),
    name: z.string().default('untitled').describe('graph name; the default output folder is named after it'),
    nodes: z.array(NodeSchema).default([]),
    edges: z.array(EdgeSchema).default([]),
    layout: LayoutSchema,
    meta: z.record(z.string(), z.unknown()).default({}).describe('free-form metadata (author, notes, seed)'),
  })
  .strict();

export type GraphDoc = z.infer<typeof GraphSchema>;
export type GraphNode = GraphDoc['nodes'][number];
export type GraphEdge = GraphDoc['edges'][number];

/** JSON Schema (draft 2020-12) of the file format, for other tools; written to docs/ by `npm run docs`. */
export function graphJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(GraphSchema, { io: 'input' }),
    $id: 'https://corespace.dev/schema/graph-v1.json',
    title: 'Corespace graph file',
  };
}
