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
import { emitRtl } from '../emit/design.js';
import { groupCycles, groups } from '../passes/layers.js';
import { addFlowFiles } from './flow-files.js';

export function manifest(plan: HwPlan, timing: Timing, files: string[]) {
  const gs = groups(plan);
  return {
    format: 'bnn-hw/manifest@1',
    generator: `bnn-hw ${VERSION}`,
    name: plan.name,
    top: plan.top,
    input: { ...plan.input, tdataWidth: byteWidth(plan.input.lanes * plan.input.laneW) },
    output: { ...plan.output, tdataWidth: byteWidth(plan.output.lanes * plan.output.laneW) },
    layers: gs.map((g) => {
      const b = g.compute;
      const base = { name: g.name, kind: b.kind, module: g.module };
      if (b.kind === 'mvtu' || b.kind === 'mvu_int') {
        return { ...base, pe: b.pe, simd: b.simd, mw: b.stage.mw, mh: b.stage.mh, sf: b.sf, nf: b.nf, cycles: groupCycles(g)!, popStages: b.popStages, scores: b.scores };
      }
      if (b.kind === 'thresh_in') return { ...base, pe: b.pe, simd: b.pe, mw: b.stage.period, mh: b.stage.period, cycles: plan.input.beats };
      if (b.kind === 'argmax') return { ...base, pe: b.pe, simd: b.pe, mw: b.classes, mh: 1, cycles: b.nf, rankTables: b.rank !== null };
      if (b.kind === 'pool') return { ...base, pe: b.params.PE, simd: b.params.PE, mw: b.params.C, mh: b.params.C, cycles: (b.params.H * b.params.W * b.params.C) / b.params.PE };
      return base;
    }),
    cyclesPerFrame: timing.cyclesPerFrame,
    latencyCycles: timing.latencyCycles,
    files,
  };
}

export function emitDesign(model: Model, plan: HwPlan, timing: Timing): Map<string, string> {
  const files = emitRtl(model, plan, timing);
  addFlowFiles(files, plan);
  const list = [...files.keys(), 'manifest.json'].sort();
  files.set('manifest.json', JSON.stringify(manifest(plan, timing, list), null, 2) + '\n');
  return files;
}
