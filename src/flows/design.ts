/**
 * A generated design as a whole: the Verilog files (emit), the tool flow files with the resource
 * estimate (flows/), and manifest.json. Pure: the CLI writes the map atomically.
 * Layout: rtl/ (library modules, layer wrappers, top), mem/ (ROM images), tb/ (testbench),
 * flows/ (tool scripts), manifest.json.
 */
import type { HwPlan, Timing } from '../passes/plan.js';
import type { Model } from '../ir/model.js';
import { byteWidth } from '../blocks/types.js';
import { VERSION } from '../util/version.js';
import { emitRtl, type FileBody } from '../emit/design.js';
import { kindOf, type Registry } from '../blocks/registry.js';
import { addFlowFiles } from './flow-files.js';

export function manifest(plan: HwPlan, timing: Timing, files: string[], registry?: Registry) {
  const gs = plan.layers;
  return {
    format: 'bnn-hw/manifest@1',
    generator: `bnn-hw ${VERSION}`,
    name: plan.name,
    top: plan.top,
    input: { ...plan.input, tdataWidth: byteWidth(plan.input.lanes * plan.input.laneW) },
    output: { ...plan.output, tdataWidth: byteWidth(plan.output.lanes * plan.output.laneW) },
    layers: gs.map((g) => {
      const b = g.compute;
      return {
        name: g.name, kind: b.kind, module: g.module, ...kindOf(b, registry).layer(b)!,
        blocks: g.members.map((m) => ({ name: m.block.name, kind: m.block.kind, module: m.module, inst: m.inst, hierarchy: kindOf(m.block, registry).keepHierarchy })),
      };
    }),
    cyclesPerFrame: timing.cyclesPerFrame,
    latencyCycles: timing.latencyCycles,
    files,
  };
}

export function emitDesign(model: Model, plan: HwPlan, timing: Timing): Map<string, FileBody> {
  const files = emitRtl(model, plan, timing);
  addFlowFiles(files, plan);
  const list = [...files.keys(), 'manifest.json'].sort();
  files.set('manifest.json', JSON.stringify(manifest(plan, timing, list), null, 2) + '\n');
  return files;
}
