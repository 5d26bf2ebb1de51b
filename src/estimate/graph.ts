/**
 * Resources of a residual graph's design (issue 13): every segment's layers as for a chain, every port
 * block (dup / add / gap: provisional constants, estimatePortBlock) and every edge block (bypass FIFOs
 * priced by depth x width, LUTRAM or block RAM by the FIFO's own rule; width converters) as a layer of
 * its own.
 */
import type { GraphHwPlan } from '../passes/graph-types.js';
import { libraryModule } from '../util/names.js';
import { estimatePlan, type LayerEstimate, type PlanEstimate } from './estimate.js';
import { addRes, estimateBlock, estimatePortBlock, roundRes, ZERO, type EstimateOptions, type Resources } from './resources.js';

export function estimateGraphPlan(plan: GraphHwPlan, o: EstimateOptions): PlanEstimate {
  const layers: LayerEstimate[] = plan.nodes.flatMap((n) => {
    if (n.kind === 'segment') return estimatePlan(n.plan, o).layers;
    const r = n.kind === 'port' ? estimatePortBlock(n.block, o) : estimateBlock(n.block, o);
    return [{ name: n.block.name, module: libraryModule(n.block.kind), blocks: [{ name: n.block.name, kind: n.block.kind, ...r }], ...r }];
  });
  const total = layers.reduce<Resources>((a, b) => addRes(a, b), { ...ZERO });
  return { fabric: o.fabric, layers, total: roundRes(total) };
}
