/**
 * Tool flow files of a generated design (flows/): Yosys scripts (synth_xilinx, synth_ice40 and an
 * iCE40 place-and-route variant with its pin harness), a non-project Vivado Tcl script with its XDC
 * clock constraint, a Makefile driving all of them, and the resource estimate (estimate.json) that
 * `bnn-hw synth` compares measured counts with. Pure and deterministic: text from the plan only.
 */
import type { HwPlan } from '../passes/plan.js';
import { VERSION } from '../util/version.js';
import { byteWidth } from '../blocks/types.js';
import { render } from '../emit/handlebars.js';
import { yosysScript, FLATTEN_ALL, pnrHarness, type DesignInfo } from './synth.js';
import { kindOf } from '../blocks/registry.js';
import { estimatePlan, type PlanEstimate } from '../estimate/estimate.js';
import { findDevice } from '../estimate/devices.js';
import { flowFile } from '../util/names.js';
import type { FileBody } from '../emit/design.js';

export const DEFAULT_PART = 'xc7z020';
export const DEFAULT_CLOCK_MHZ = 100;

/** The design description the synthesis scripts need, from the plan (no files read). */
export function designInfo(plan: HwPlan, sources: string[]): DesignInfo {
  const gs = plan.layers;
  return {
    dir: '.',
    name: plan.name,
    top: plan.top,
    sources,
    wrappers: gs.map((g) => ({
      name: g.name,
      module: g.module,
      kind: g.compute.kind,
      instances: g.members.filter((m) => kindOf(m.block).keepHierarchy).map((m) => ({ inst: m.inst, lib: m.module, kind: m.block.kind })),
    })),
    inWidth: byteWidth(gs[0]!.inWidth),
    outWidth: byteWidth(gs[gs.length - 1]!.outWidth),
  };
}

/** Add flows/* (except sources.f, written by emitDesign) to the file map. */
export function addFlowFiles(files: Map<string, FileBody>, plan: HwPlan, opts: FlowOptions = {}): void {
  const rtl = [...files.keys()].filter((f) => f.startsWith('rtl/')).sort();
  const est = { xilinx: estimatePlan(plan, { fabric: 'xilinx' }), ice40: estimatePlan(plan, { fabric: 'ice40' }) };
  addDesignFlowFiles(files, designInfo(plan, rtl), est, opts);
}

export interface FlowOptions {
  part?: string;
  clockMhz?: number;
}

/** flows/* of a design described by `d` (a chain's or a graph's), with its resource estimate. */
export function addDesignFlowFiles(files: Map<string, FileBody>, d: DesignInfo, est: { xilinx: PlanEstimate; ice40: PlanEstimate }, opts: FlowOptions = {}): void {
  const rtl = [...files.keys()].filter((f) => f.startsWith('rtl/')).sort();
  const mems = [...files.keys()].filter((f) => f.startsWith('mem/')).sort();
  const dev = findDevice(opts.part ?? DEFAULT_PART);
  const clockMhz = opts.clockMhz ?? DEFAULT_CLOCK_MHZ;
  const hx8k = findDevice('ice40hx8k').nextpnr!;
  const harness = pnrHarness(d);
  files.set('flows/synth_xilinx.ys', yosysScript(d, { arch: 'xilinx', statFile: 'build/yosys-xilinx/stat.json', logFile: 'build/yosys-xilinx/yosys.log', scriptPath: 'flows/synth_xilinx.ys' }));
  files.set('flows/synth_ice40.ys', yosysScript(d, { arch: 'ice40', statFile: 'build/yosys-ice40/stat.json', logFile: 'build/yosys-ice40/yosys.log', scriptPath: 'flows/synth_ice40.ys' }));
  files.set(flowFile(harness.module), harness.text);
  files.set('flows/pnr_ice40.ys', yosysScript(d, {
    arch: 'ice40', top: harness.module, extraSources: [flowFile(harness.module)], statFile: 'build/pnr-ice40/stat.json',
    logFile: 'build/pnr-ice40/yosys.log', scriptPath: 'flows/pnr_ice40.ys', extra: [...FLATTEN_ALL, 'write_json build/pnr-ice40/pnr.json'],
  }));
  files.set('flows/vivado.tcl', render('flows/vivado.tcl.hbs', { top: d.top, name: d.name, version: VERSION, part: dev.part, partNote: dev.description, clockMhz, sources: rtl, mems }));
  files.set('flows/clock.xdc', render('flows/clock.xdc.hbs', { top: d.top, version: VERSION, clockMhz, periodNs: (1000 / clockMhz).toFixed(3) }));
  files.set('flows/Makefile', render('flows/Makefile.hbs', { top: d.top, name: d.name, version: VERSION, part: dev.part, clockMhz, ice40Flag: hx8k.flag, ice40Pkg: hx8k.pkg }));
  files.set('flows/estimate.json', JSON.stringify({ generator: `bnn-hw ${VERSION}`, ...est }, null, 2) + '\n');
}
