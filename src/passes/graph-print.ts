/** Stable text form of a graph plan, for `--dump-after plan` / `size-fifos` on a residual graph. */
import { kindOf } from '../blocks/registry.js';
import { portKindOf } from '../blocks/port-registry.js';
import type { StreamFormat } from '../blocks/types.js';
import type { GraphHwPlan, GraphNode } from './graph-types.js';
import { nodeName } from './graph-types.js';
import { printPlan } from './plan-print.js';

const fmt = (s: StreamFormat) => `${s.beats} beats x ${s.lanes} x ${s.laneW}${s.signed ? 's' : 'u'}`;

function nodeLines(n: GraphNode, i: number): string[] {
  if (n.kind === 'segment') return [`node ${i} segment ${n.name} (input ${n.model.input.type.kind})`, ...printPlan(n.plan).trimEnd().split('\n').map((l) => `  ${l}`)];
  if (n.kind === 'port') return [`node ${i} ${portKindOf(n.block).print(n.block)}`];
  return [`node ${i} ${n.role} ${kindOf(n.block).print(n.block)}${n.feeds ? ` -> ${n.feeds}` : ''}`];
}

export function printGraphPlan(p: GraphHwPlan): string {
  const port = (q: { node: number; port: number }) => `${nodeName(p.nodes[q.node]!)}.${q.port}`;
  return [
    `graph plan ${p.name} top ${p.top} cyclesPerFrame=${p.cyclesPerFrame}`,
    `input -> ${port(p.input)} ${fmt(p.input.format)}`,
    ...p.nodes.flatMap(nodeLines),
    ...p.edges.map((e) => `edge ${e.name}: ${port(e.from)} -> ${port(e.to)} ${fmt(e.format)}`),
    ...p.bypass.map((b) => `bypass ${nodeName(p.nodes[b.node]!)} -> ${b.add}: depth ${b.depth} (exact ${b.exact}): ${b.origin}`),
    `output ${p.output.format.kind} <- ${port(p.output)} ${fmt(p.output.format)}`,
  ].join('\n') + '\n';
}
