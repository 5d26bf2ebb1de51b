/**
 * The hardware plan of a residual graph (issue 13): chain segments joined by multi-port blocks.
 *
 * - A segment is a chain plan of its own (plan.ts: `HwPlan`), planned from a sub-model whose input is
 *   the code stream the segment reads (the model input for the first). It has one input and one output
 *   stream (port 0 each side) and keeps the chain's layer wrappers, ROMs and FIFO sizing.
 * - A port node is a block with several streams (blocks/port-types.ts): `dup` at every fan-out, the
 *   aligning `add`, the global accumulator `gap`.
 * - An edge node is a single-stream block placed on a branch: a bypass FIFO (the branch that waits), a
 *   width converter where the lanes of producer and consumer differ, a window sum (an `avgpool`
 *   shortcut).
 *
 * Nodes are listed in evaluation order (a node's producers come before it); edges join an output port
 * of one node to an input port of another, each with the stream format it carries. The graph input
 * feeds one node input port and one node output port is the graph output.
 */
import type { Model } from '../ir/model.js';
import type { DwcBlock, FifoBlock, PoolBlock, StreamFormat } from '../blocks/types.js';
import type { PortBlock } from '../blocks/port-types.js';
import type { Folding } from './folding.js';
import type { HwPlan } from './plan.js';

export interface SegmentNode {
  kind: 'segment';
  /** the segment's name (its first layer's), unique among the nodes */
  name: string;
  /** the chain sub-model the segment was planned from */
  model: Model;
  plan: HwPlan;
}

export interface PortNode {
  kind: 'port';
  block: PortBlock;
}

export interface EdgeNode {
  kind: 'edge';
  /** 'bypass': the FIFO of the branch that waits; 'convert': a width converter; 'shortcut': an avgpool window sum */
  role: 'bypass' | 'convert' | 'shortcut';
  /** role 'bypass': the add whose input it feeds */
  feeds?: string;
  block: FifoBlock | DwcBlock | PoolBlock;
}

export type GraphNode = SegmentNode | PortNode | EdgeNode;

/** Port `port` of node `node`: an output port as an edge's source, an input port as its sink. */
export interface NodePort {
  node: number;
  port: number;
}

export interface PlanEdge {
  /** the stream's name in reports, the cycle model and the RTL (a Verilog identifier, unique) */
  name: string;
  from: NodePort;
  to: NodePort;
  format: StreamFormat;
}

export interface BypassFifo {
  /** index of the edge node (role 'bypass') */
  node: number;
  /** the add whose waiting input it feeds */
  add: string;
  /** depth at which the deep run is reproduced exactly (sim/bypass-sizing.ts), and the planned depth */
  exact: number;
  depth: number;
  /** one line for `generate`: where the depth came from */
  origin: string;
}

export interface GraphHwPlan {
  name: string;
  top: string;
  model: Model;
  folding: Folding;
  nodes: GraphNode[];
  edges: PlanEdge[];
  input: NodePort & { format: StreamFormat };
  output: NodePort & { format: StreamFormat & { kind: 'argmax' | 'scores' } };
  /** analytical steady-state cycles per frame: the slowest node's */
  cyclesPerFrame: number;
  /** the bypass FIFOs, sized (empty before sizing) */
  bypass: BypassFifo[];
}

/** Input and output port counts of a node. */
export function nodePorts(n: GraphNode): { inputs: number; outputs: number } {
  if (n.kind !== 'port') return { inputs: 1, outputs: 1 };
  switch (n.block.kind) {
    case 'dup':
      return { inputs: 1, outputs: n.block.n };
    case 'add':
      return { inputs: 2, outputs: 1 };
    case 'gap':
      return { inputs: 1, outputs: 1 };
  }
}

/** A node's name in reports. */
export const nodeName = (n: GraphNode): string => (n.kind === 'segment' ? n.name : n.block.name);

/**
 * RTL names of a graph design, shared by the emitter, the cycle model and the testbench: a segment is
 * the chain top `<top>_<segment>` instantiated as `u_seg_<segment>` in the graph top, so a segment's
 * inner stream `s1` / `u_layer_fc1.st0` is `u_seg_<segment>.s1` / `u_seg_<segment>.u_layer_fc1.st0`; a
 * port or edge block is `u_<block>`; the plan's edges are the graph top's wires `<edge>_t*`. The graph
 * input and output are named `input` and `output` in reports (the graph top's s_axis / m_axis).
 */
export const segmentInstance = (segment: string): string => `u_seg_${segment}`;
export const segmentModule = (top: string, segment: string): string => `${top}_${segment}`;
export const graphBlockInstance = (block: string): string => `u_${block}`;
/** The report name of a segment's inner stream (`path` as passes/streams.ts names it in the chain). */
export const segmentStream = (segment: string, path: string): string => `${segmentInstance(segment)}.${path}`;
