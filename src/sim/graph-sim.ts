/**
 * The cycle model of a planned graph (passes/graph-types.ts) as the graph engine's input
 * (dag-engine.ts: SimGraph): every block of every chain segment, every port block and every edge block
 * becomes one node, joined by the segments' internal streams and the plan's edges. Built afresh per
 * run (the engine steps the models). Stream names are the RTL's (passes/graph-types.ts): a plan edge
 * is the graph top's wire, a segment's inner stream its path `u_seg_<segment>.<chain stream path>`.
 */
import { asPortSim, type PortSim } from '../blocks/sim-base.js';
import { blockSim } from '../blocks/registry.js';
import { portBlockSim } from '../blocks/port-registry.js';
import { segmentStream, type GraphHwPlan, type NodePort } from '../passes/graph-types.js';
import type { GraphEdge, PortRef, SimGraph } from './dag-engine.js';
import { streamWidth } from '../blocks/types.js';

export interface PlanSimGraph extends SimGraph {
  /** per plan node: the index of its first and last sim node (a segment spans several) */
  span: { first: number; last: number }[];
  /** tdata width of every stream in the engine's order: input, edges, output */
  widths: number[];
}

/**
 * The graph of cycle models of a plan. `timingOnly`: the chain blocks skip their datapath (port blocks
 * always compute: an add's output width and a dup's copies are the timing).
 */
export function simGraphOf(plan: GraphHwPlan, timingOnly = false): PlanSimGraph {
  const nodes: PortSim[] = [];
  const edges: GraphEdge[] = [];
  const span: PlanSimGraph['span'] = [];
  const widths: number[] = [streamWidth(plan.input.format)];
  for (const n of plan.nodes) {
    const first = nodes.length;
    if (n.kind === 'segment') {
      const bs = n.plan.blocks;
      bs.forEach((b, i) => {
        nodes.push(asPortSim(blockSim(b, timingOnly)));
        // stream i of the chain is the input of block i: the internal ones join block i - 1 to block i
        if (i > 0) {
          edges.push({ name: segmentStream(n.name, n.plan.streams[i]!.path), from: { node: first + i - 1, port: 0 }, to: { node: first + i, port: 0 } });
          widths.push(n.plan.streams[i]!.width);
        }
      });
    } else if (n.kind === 'port') nodes.push(portBlockSim(n.block));
    else nodes.push(asPortSim(blockSim(n.block, timingOnly)));
    span.push({ first, last: nodes.length - 1 });
  }
  const source = (p: NodePort): PortRef => ({ node: span[p.node]!.last, port: p.port });
  const sink = (p: NodePort): PortRef => ({ node: span[p.node]!.first, port: p.port });
  for (const e of plan.edges) {
    edges.push({ name: e.name, from: source(e.from), to: sink(e.to) });
    widths.push(streamWidth(e.format));
  }
  widths.push(streamWidth(plan.output.format));
  return { nodes, edges, input: sink(plan.input), output: source(plan.output), span, widths };
}
