/**
 * emit: a planned design -> { relative path: file text }. Pure: the CLI writes the map atomically.
 * Layout: rtl/ (library modules, layer wrappers, top), mem/ (ROM images), tb/ (testbench),
 * flows/ (tool scripts), manifest.json.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HwPlan } from '../passes/plan.js';
import type { Model } from '../ir/model.js';
import { printModel } from '../ir/print.js';
import { byteWidth } from '../blocks/types.js';
import { VERSION } from '../util/version.js';
import { TEMPLATE_DIR, readTemplateFile, render } from './handlebars.js';
import { rankMem, thresholdMem, threshInMem, weightMem } from './memfiles.js';
import { groupModule, groups, memPath, rankRom, renderModule, romFile, topModule, type Group } from './rtl.js';
import { NameSet, TESTBENCH_FILE, TESTBENCH_MODULE, rtlFile } from '../util/names.js';
import { layerCycles } from '../passes/folding.js';
import { streamInfo } from '../sim/streams.js';
import { addFlowFiles } from './flows.js';

export interface Timing {
  cyclesPerFrame: number;
  latencyCycles: number;
}

export function modelHash(model: Model): string {
  return createHash('sha256').update(printModel(model)).digest('hex');
}

export function libraryFiles(): string[] {
  return readdirSync(join(TEMPLATE_DIR, 'lib')).filter((f) => f.endsWith('.v')).sort();
}

function groupCycles(g: Group): number | null {
  const b = g.compute;
  if (b.kind === 'mvtu' || b.kind === 'mvu_int') return layerCycles(b.stage, { pe: b.pe, simd: b.simd });
  return null;
}

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

/**
 * The file map of a design. Paths must be unique, also ignoring letter case: a second file with the
 * same path would silently replace the first (the naming scheme in src/util/names.ts excludes it).
 */
class DesignFiles extends Map<string, string> {
  private readonly paths = new NameSet('file');
  override set(path: string, text: string): this {
    this.paths.add(path);
    return super.set(path, text);
  }
}

export function emitDesign(model: Model, plan: HwPlan, timing: Timing): Map<string, string> {
  const files = new DesignFiles();
  const meta = { version: VERSION, modelName: plan.name, modelHash: modelHash(model).slice(0, 16) };
  for (const f of libraryFiles()) files.set(`rtl/${f}`, readTemplateFile(`lib/${f}`));
  const gs = groups(plan);
  for (const g of gs) {
    const m = groupModule(g, groupCycles(g));
    files.set(rtlFile(m.module), renderModule(m, meta));
    const b = g.compute;
    if (b.kind === 'mvtu' || b.kind === 'mvu_int') {
      files.set(memPath(romFile(g, 'weights')), weightMem(b));
      if (!b.scores) files.set(memPath(romFile(g, 'thresholds')), thresholdMem(b));
    } else if (b.kind === 'thresh_in') files.set(memPath(romFile(g, 'thresholds')), threshInMem(b));
    else if (b.kind === 'argmax' && b.rank) for (let k = 0; k < b.pe; k++) files.set(memPath(romFile(g, rankRom(k))), rankMem(b, k));
  }
  const doc = [
    `Input stream: ${plan.input.beats} beats per frame of ${plan.input.lanes} x ${plan.input.laneW}-bit ${plan.input.signed ? 'signed' : 'unsigned'} elements (element k in bits [k*${plan.input.laneW} +: ${plan.input.laneW}]).`,
    plan.output.kind === 'argmax'
      ? `Output stream: one beat per frame, the class index (ties to the lowest index).`
      : `Output stream: ${plan.output.beats} beats per frame of ${plan.output.lanes} signed ${plan.output.laneW}-bit integer scores (dot products of the last layer).`,
    `Steady state: ${timing.cyclesPerFrame} cycles per frame; first-output latency ${timing.latencyCycles} cycles.`,
  ];
  files.set(rtlFile(plan.top), renderModule(topModule(plan, gs, doc, groupCycles), meta));
  const streams = streamInfo(plan);
  files.set(TESTBENCH_FILE, render('tb/tb.v.hbs', {
    tb: TESTBENCH_MODULE, top: plan.top, version: VERSION, inWidth: byteWidth(gs[0]!.inWidth), outWidth: byteWidth(gs[gs.length - 1]!.outWidth),
    streams, scopes: gs.map((g) => g.inst),
  }));
  const rtl = [...files.keys()].filter((f) => f.startsWith('rtl/')).sort();
  files.set('flows/sources.f', rtl.join('\n') + '\n');
  addFlowFiles(files, plan);
  const list = [...files.keys(), 'manifest.json'].sort();
  files.set('manifest.json', JSON.stringify(manifest(plan, timing, list), null, 2) + '\n');
  return files;
}
