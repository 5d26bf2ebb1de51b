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
 * The library modules a design needs, with their text: every library module named in the given Verilog
 * sources, and transitively in those library files (a library module's file is named after it). Listing
 * only these keeps Yosys / ABC from reading unrelated modules and keeps a design folder to what it uses.
 * Comments are skipped (the library's headers name related modules).
 */
export function usedLibrary(verilog: readonly string[]): Map<string, string> {
  const lib = new Set(libraryFiles().map((f) => f.slice(0, -2)));
  const used = new Map<string, string>();
  const visit = (text: string) => {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
    for (const m of code.matchAll(/\bbnn_[A-Za-z0-9_]+\b/g)) {
      const name = m[0];
      if (!lib.has(name) || used.has(name)) continue;
      const body = readTemplateFile(`lib/${name}.v`);
      used.set(name, body);
      visit(body);
    }
  };
  verilog.forEach(visit);
  return new Map([...used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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

/** A stream the testbench traces and watches: its name in reports and its signal prefix (`dut.s1`: dut.s1_tvalid ...). */
export interface TbStream {
  path: string;
  sig: string;
}

/** The testbench (templates/tb/tb.v.hbs) of a design with the chain top's ports; `scopes`: the instances whose streams +vcd_streams dumps. */
export function testbench(top: string, inWidth: number, outWidth: number, streams: TbStream[], scopes: string[]): string {
  return render('tb/tb.v.hbs', { tb: TESTBENCH_MODULE, top, version: VERSION, inWidth, outWidth, streams, scopes });
}

export function emitRtl(model: Model, plan: HwPlan, timing: Timing, registry?: Registry): DesignFiles {
  // the design's own modules and images first (they decide which library files it needs), the library
  // files listed first in the map as before
  const own = new DesignFiles();
  const meta = { version: VERSION, modelName: plan.name, modelHash: modelHash(model).slice(0, 16) };
  const gs = plan.layers;
  const cycles = (g: (typeof gs)[number]) => groupCycles(g, registry);
  for (const g of gs) {
    const m = groupModule(g, plan.streams, cycles(g), registry);
    own.set(rtlFile(m.module), renderModule(m, meta));
    for (const b of g.blocks) for (const mem of kindOf(b, registry).memories(b)) own.set(memPath(romFile(g, mem.rom)), mem.image());
  }
  const doc = [
    `Input stream: ${plan.input.beats} beats per frame of ${plan.input.lanes} x ${plan.input.laneW}-bit ${plan.input.signed ? 'signed' : 'unsigned'} elements (element k in bits [k*${plan.input.laneW} +: ${plan.input.laneW}]).`,
    plan.output.kind === 'argmax'
      ? `Output stream: one beat per frame, the class index (ties to the lowest index).`
      : `Output stream: ${plan.output.beats} beats per frame of ${plan.output.lanes} signed ${plan.output.laneW}-bit integer scores (dot products of the last layer).`,
    `Steady state: ${timing.cyclesPerFrame} cycles per frame; first-output latency ${timing.latencyCycles} cycles.`,
  ];
  own.set(rtlFile(plan.top), renderModule(topModule(plan, doc, cycles, registry), meta));
  const files = new DesignFiles();
  const modules = [...own].filter(([p]) => p.startsWith('rtl/')).map(([, body]) => body as string);
  for (const [name, body] of usedLibrary(modules)) files.set(`rtl/${name}.v`, body);
  for (const [p, body] of own) files.set(p, body);
  files.set(TESTBENCH_FILE, testbench(plan.top, byteWidth(gs[0]!.inWidth), byteWidth(gs[gs.length - 1]!.outWidth), plan.streams.map((s) => ({ path: s.path, sig: `dut.${s.path}` })), gs.map((g) => g.inst)));
  const rtl = [...files.keys()].filter((f) => f.startsWith('rtl/')).sort();
  files.set('flows/sources.f', rtl.join('\n') + '\n');
  return files;
}
