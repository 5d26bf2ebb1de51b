/**
 * A generated graph design as a whole (issue 13): the Verilog files (emit/graph.ts), the tool flow
 * files as for a chain (the synthesis scripts keep each segment's layer wrappers as their own modules;
 * the estimate prices the segments' layers) and manifest.json, which besides a chain's fields lists
 * the graph: nodes, edges with their widths, the bypass FIFOs with depth and origin. Pure and
 * deterministic: the CLI writes the map atomically.
 */
import type { Model } from '../ir/model.js';
import type { Timing } from '../passes/plan.js';
import type { Layer } from '../passes/layers.js';
import { nodeName, nodePorts, segmentInstance, segmentModule, graphBlockInstance, type GraphHwPlan } from '../passes/graph-types.js';
import { byteWidth, streamWidth } from '../blocks/types.js';
import { kindOf } from '../blocks/registry.js';
import { estimatePlan } from '../estimate/estimate.js';
import { VERSION } from '../util/version.js';
import { emitGraphRtl } from '../emit/graph.js';
import type { FileBody } from '../emit/design.js';
import { addDesignFlowFiles } from './flow-files.js';
import type { DesignInfo } from './synth.js';

/** Every layer wrapper of every segment, in node order. */
export function graphLayers(g: GraphHwPlan): Layer[] {
  return g.nodes.flatMap((n) => (n.kind === 'segment' ? n.plan.layers : []));
}

function graphDesignInfo(g: GraphHwPlan, sources: string[]): DesignInfo {
  return {
    dir: '.',
    name: g.name,
    top: g.top,
    sources,
    wrappers: graphLayers(g).map((l) => ({
      name: l.name,
      module: l.module,
      kind: l.compute.kind,
      instances: l.members.filter((m) => kindOf(m.block).keepHierarchy).map((m) => ({ inst: m.inst, lib: m.module, kind: m.block.kind })),
    })),
    inWidth: byteWidth(streamWidth(g.input.format)),
    outWidth: byteWidth(streamWidth(g.output.format)),
  };
}

/** The resource estimate of the segments' layers (port and edge blocks are not priced here). */
function graphEstimate(g: GraphHwPlan) {
  const seg = g.nodes.find((n) => n.kind === 'segment');
  if (!seg || seg.kind !== 'segment') throw new Error('internal: a graph plan without segments');
  const p = { ...seg.plan, layers: graphLayers(g) };
  return { xilinx: estimatePlan(p, { fabric: 'xilinx' }), ice40: estimatePlan(p, { fabric: 'ice40' }) };
}

export function graphManifest(g: GraphHwPlan, timing: Timing, files: string[]) {
  const fmt = (f: { lanes: number; laneW: number; signed: boolean; beats: number }) => ({ ...f, tdataWidth: byteWidth(streamWidth(f)) });
  return {
    format: 'bnn-hw/manifest@1',
    generator: `bnn-hw ${VERSION}`,
    name: g.name,
    top: g.top,
    input: fmt(g.input.format),
    output: { ...fmt(g.output.format), kind: g.output.format.kind },
    layers: graphLayers(g).map((l) => {
      const b = l.compute;
      return {
        name: l.name, kind: b.kind, module: l.module, ...kindOf(b).layer(b)!,
        blocks: l.members.map((m) => ({ name: m.block.name, kind: m.block.kind, module: m.module, inst: m.inst, hierarchy: kindOf(m.block).keepHierarchy })),
      };
    }),
    graph: {
      nodes: g.nodes.map((n) => ({
        name: nodeName(n),
        kind: n.kind === 'segment' ? 'segment' : n.block.kind,
        ...(n.kind === 'edge' ? { role: n.role } : {}),
        ...(n.kind === 'segment' ? { module: segmentModule(g.top, n.name), inst: segmentInstance(n.name), layers: n.plan.layers.map((l) => l.name) } : { inst: graphBlockInstance(n.block.name) }),
        ...nodePorts(n),
      })),
      edges: g.edges.map((e) => ({
        name: e.name, from: { node: nodeName(g.nodes[e.from.node]!), port: e.from.port }, to: { node: nodeName(g.nodes[e.to.node]!), port: e.to.port },
        width: streamWidth(e.format), ...e.format,
      })),
      input: { node: nodeName(g.nodes[g.input.node]!), port: g.input.port },
      output: { node: nodeName(g.nodes[g.output.node]!), port: g.output.port },
      bypass: g.bypass.map((b) => ({ fifo: nodeName(g.nodes[b.node]!), add: b.add, depth: b.depth, exact: b.exact, origin: b.origin })),
    },
    cyclesPerFrame: timing.cyclesPerFrame,
    latencyCycles: timing.latencyCycles,
    files,
  };
}

/** The file map of a graph design folder: rtl/, mem/, tb/, flows/, manifest.json. */
export function emitGraphDesign(model: Model, g: GraphHwPlan, timing: Timing): Map<string, FileBody> {
  const files = emitGraphRtl(model, g, timing);
  const rtl = [...files.keys()].filter((f) => f.startsWith('rtl/')).sort();
  addDesignFlowFiles(files, graphDesignInfo(g, rtl), graphEstimate(g));
  const list = [...files.keys(), 'manifest.json'].sort();
  files.set('manifest.json', JSON.stringify(graphManifest(g, timing, list), null, 2) + '\n');
  return files;
}
