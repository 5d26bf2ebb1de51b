/**
 * emit: a planned design -> the files of its Verilog: rtl/ (library modules, layer wrappers, top),
 * mem/ (ROM images), tb/ (testbench) and flows/sources.f. Pure: the CLI writes the map atomically.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HwPlan, Timing } from '../passes/plan.js';
import type { Model } from '../ir/model.js';
import { printModel } from '../ir/print.js';
import { byteWidth } from '../blocks/types.js';
import { VERSION } from '../util/version.js';
import { TEMPLATE_DIR, readTemplateFile, render } from './handlebars.js';
import { kindOf, type Registry } from '../blocks/registry.js';
import { groupModule, memPath, renderModule, romFile, topModule } from './rtl.js';
import { groupCycles } from '../passes/layers.js';
import { NameSet, TESTBENCH_FILE, TESTBENCH_MODULE, rtlFile } from '../util/names.js';

export function modelHash(model: Model): string {
  return createHash('sha256').update(printModel(model)).digest('hex');
}

export function libraryFiles(): string[] {
  return readdirSync(join(TEMPLATE_DIR, 'lib')).filter((f) => f.endsWith('.v')).sort();
}

/**
 * The file map of a design. Paths must be unique, also ignoring letter case: a second file with the
 * same path would silently replace the first (the naming scheme in src/util/names.ts excludes it).
 * Text files are strings; the weight ROM images are bytes (built from the weight bits, never as one
 * string per word).
 */
export type FileBody = string | Uint8Array;

export class DesignFiles extends Map<string, FileBody> {
  private readonly paths = new NameSet('file');
  override set(path: string, text: FileBody): this {
    this.paths.add(path);
    return super.set(path, text);
  }
}

export function emitRtl(model: Model, plan: HwPlan, timing: Timing, registry?: Registry): DesignFiles {
  const files = new DesignFiles();
  const meta = { version: VERSION, modelName: plan.name, modelHash: modelHash(model).slice(0, 16) };
  for (const f of libraryFiles()) files.set(`rtl/${f}`, readTemplateFile(`lib/${f}`));
  const gs = plan.layers;
  const cycles = (g: (typeof gs)[number]) => groupCycles(g, registry);
  for (const g of gs) {
    const m = groupModule(g, plan.streams, cycles(g), registry);
    files.set(rtlFile(m.module), renderModule(m, meta));
    for (const b of g.blocks) for (const mem of kindOf(b, registry).memories(b)) files.set(memPath(romFile(g, mem.rom)), mem.image());
  }
  const doc = [
    `Input stream: ${plan.input.beats} beats per frame of ${plan.input.lanes} x ${plan.input.laneW}-bit ${plan.input.signed ? 'signed' : 'unsigned'} elements (element k in bits [k*${plan.input.laneW} +: ${plan.input.laneW}]).`,
    plan.output.kind === 'argmax'
      ? `Output stream: one beat per frame, the class index (ties to the lowest index).`
      : `Output stream: ${plan.output.beats} beats per frame of ${plan.output.lanes} signed ${plan.output.laneW}-bit integer scores (dot products of the last layer).`,
    `Steady state: ${timing.cyclesPerFrame} cycles per frame; first-output latency ${timing.latencyCycles} cycles.`,
  ];
  files.set(rtlFile(plan.top), renderModule(topModule(plan, doc, cycles, registry), meta));
  const streams = plan.streams;
  files.set(TESTBENCH_FILE, render('tb/tb.v.hbs', {
    tb: TESTBENCH_MODULE, top: plan.top, version: VERSION, inWidth: byteWidth(gs[0]!.inWidth), outWidth: byteWidth(gs[gs.length - 1]!.outWidth),
    streams, scopes: gs.map((g) => g.inst),
  }));
  const rtl = [...files.keys()].filter((f) => f.startsWith('rtl/')).sort();
  files.set('flows/sources.f', rtl.join('\n') + '\n');
  return files;
}
