/**
 * Synthesis and place-and-route of a generated design: Yosys (xilinx / ice40 / ecp5 / generic),
 * nextpnr-ice40 and icepack. Reads the design folder written by `bnn-hw generate` (manifest.json,
 * flows/sources.f, rtl/, mem/), renders the Yosys script from templates/flows/yosys.ys.hbs, runs the
 * tools through runTool and reports measured cells per layer (each layer wrapper keeps its
 * hierarchy) next to the estimate (flows/estimate.json or a fresh one) with the error in percent.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DiagnosticError, diag, type DiagCode } from '../diagnostics/diagnostic.js';
import { render } from '../emit/handlebars.js';
import { VERSION } from '../util/version.js';
import { runTool, toolPath } from './tools.js';
import { pnrModule } from '../util/names.js';
import { readDesignEstimate, readDesignFolder } from './design-folder.js';
import { checkOutputDir } from '../util/output-dir.js';
import { mkdirs } from '../util/output-paths.js';
import { mapFsErrors } from '../util/fs-errors.js';
import type { Resources } from '../estimate/resources.js';
import type { PlanEstimate } from '../estimate/estimate.js';

export type Arch = 'xilinx' | 'ice40' | 'ecp5' | 'generic';
export const ARCHES: readonly Arch[] = ['xilinx', 'ice40', 'ecp5', 'generic'];

export const SYNTH_COMMAND: Record<Arch, (top: string) => string> = {
  xilinx: (top) => `synth_xilinx -noiopad -flatten -top ${top}`,
  ice40: (top) => `synth_ice40 -top ${top}`,
  ecp5: (top) => `synth_ecp5 -top ${top}`,
  generic: (top) => `synth -flatten -top ${top}`,
};

/** A diagnostic about the design folder or the tools (its exit class comes from the catalog). */
const synthFail = (code: DiagCode, msg: string, hint?: string): never => {
  throw new DiagnosticError(diag(code, '', msg, hint));
};

export interface WrapperInfo {
  /** layer name */
  name: string;
  module: string;
  kind: string;
  /** the library instances inside the wrapper that synthesis keeps as their own module (per-block counts) */
  instances: { inst: string; lib: string; kind: string }[];
}

export interface DesignInfo {
  dir: string;
  name: string;
  top: string;
  sources: string[];
  wrappers: WrapperInfo[];
  inWidth: number;
  outWidth: number;
}

export function readDesign(dirArg: string): DesignInfo {
  const { dir, manifest: m, sources } = readDesignFolder(dirArg);
  // the hierarchy (wrappers, their library instances) is the plan's, as the manifest lists it
  const wrappers = m.layers.map((l) => {
    const instances = l.blocks.filter((b) => b.hierarchy).map((b) => ({ lib: b.module, inst: b.inst, kind: b.kind }));
    return { name: l.name, module: l.module, kind: l.kind, instances };
  });
  return { dir, name: m.name, top: m.top, sources, wrappers, inWidth: m.input.tdataWidth, outWidth: m.output.tdataWidth };
}

/** Undo the per-layer hierarchy before place and route (nextpnr gets one flat netlist). */
export const FLATTEN_ALL = ['setattr -mod -unset keep_hierarchy', 'setattr -unset keep_hierarchy', 'flatten'];


export interface ScriptOptions {
  arch: Arch;
  top?: string;
  statFile: string;
  logFile?: string;
  scriptPath?: string;
  extraSources?: string[];
  extra?: string[];
}

export function yosysScript(d: DesignInfo, o: ScriptOptions): string {
  const keepCells = d.wrappers.flatMap((w) => w.instances.map((i) => `${w.module}/${i.inst}`));
  const top = o.top ?? d.top;
  return render('flows/yosys.ys.hbs', {
    arch: o.arch, top, version: VERSION,
    logFile: o.logFile ?? 'yosys.log', scriptPath: o.scriptPath ?? 'synth.ys',
    sources: [...d.sources, ...(o.extraSources ?? [])],
    wrappers: d.wrappers.map((w) => w.module), keepCells,
    synth: SYNTH_COMMAND[o.arch](top), statFile: o.statFile, extra: o.extra ?? [],
  });
}

export interface CellCounts {
  lut: number;
  ff: number;
  bram18: number;
  ebr: number;
  dsp: number;
  carry: number;
  lutram: number;
  cells: number;
}

const LUTRAM_LUTS: Record<string, number> = {
  RAM32M: 4, RAM64M: 4, RAM32X1D: 2, RAM64X1D: 2, RAM128X1D: 4, RAM256X1D: 8, RAM32X1S: 1, RAM64X1S: 1, RAM128X1S: 2, RAM256X1S: 4, RAM32M16: 8, RAM64M8: 8,
};

/** Resource counts of one module's own cells (cell type -> count), per architecture. */
export function countCells(arch: Arch, byType: Record<string, number>): CellCounts {
  const c: CellCounts = { lut: 0, ff: 0, bram18: 0, ebr: 0, dsp: 0, carry: 0, lutram: 0, cells: 0 };
  for (const [t, n] of Object.entries(byType)) {
    c.cells += n;
    if (arch === 'xilinx') {
      if (/^LUT[1-6]$/.test(t) || t === 'INV') c.lut += n;
      else if (t in LUTRAM_LUTS) {
        c.lut += n * LUTRAM_LUTS[t]!;
        c.lutram += n * LUTRAM_LUTS[t]!;
      } else if (t === 'SRL16E' || t === 'SRLC32E') {
        c.lut += n;
        c.lutram += n;
      } else if (/^FD[CPRSE]E?$/.test(t) || /^FD/.test(t)) c.ff += n;
      else if (t === 'RAMB18E1' || t === 'RAMB18E2') c.bram18 += n;
      else if (t === 'RAMB36E1' || t === 'RAMB36E2') c.bram18 += 2 * n;
      else if (/^DSP48/.test(t)) c.dsp += n;
      else if (/^CARRY/.test(t)) c.carry += n;
    } else if (arch === 'ice40') {
      if (t === 'SB_LUT4') c.lut += n;
      else if (/^SB_DFF/.test(t)) c.ff += n;
      else if (/^SB_RAM40_4K/.test(t)) c.ebr += n;
      else if (t === 'SB_CARRY') c.carry += n;
      else if (t === 'SB_MAC16') c.dsp += n;
    } else if (arch === 'ecp5') {
      if (t === 'LUT4') c.lut += n;
      else if (t === 'CCU2C') {
        c.lut += 2 * n;
        c.carry += n;
      } else if (t === 'TRELLIS_DPR16X4') {
        c.lut += 4 * n;
        c.lutram += 4 * n;
      } else if (t === 'TRELLIS_FF') c.ff += n;
      else if (t === 'DP16KD' || t === 'PDPW16KD') c.bram18 += n;
      else if (/^MULT18X18/.test(t)) c.dsp += n;
    } else {
      if (/^\$_(DFF|DFFE|SDFF|SDFFE|SDFFCE|ALDFF|DFFSR|DLATCH)/.test(t)) c.ff += n;
      else if (/^\$_/.test(t)) c.lut += n;
    }
  }
  return c;
}

const addCounts = (a: CellCounts, b: CellCounts, k = 1): CellCounts => ({
  lut: a.lut + k * b.lut, ff: a.ff + k * b.ff, bram18: a.bram18 + k * b.bram18, ebr: a.ebr + k * b.ebr,
  dsp: a.dsp + k * b.dsp, carry: a.carry + k * b.carry, lutram: a.lutram + k * b.lutram, cells: a.cells + k * b.cells,
});
const ZERO_COUNTS: CellCounts = { lut: 0, ff: 0, bram18: 0, ebr: 0, dsp: 0, carry: 0, lutram: 0, cells: 0 };

interface StatJson {
  modules: Record<string, { num_cells_by_type?: Record<string, number> }>;
}

/** `stat -json` output up to its "modules" object (Yosys 0.23 breaks the JSON after it with a text hierarchy summary). */
export function parseStatJson(text: string): StatJson {
  const start = text.indexOf('{');
  let depth = 0;
  let inStr = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
    } else if (ch === '"') inStr = true;
    else if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      // the "modules" object closes at depth 1; what follows may not be JSON (0.23 prints the
      // hierarchy summary as text there)
      if (depth === 1) return JSON.parse(text.slice(start, i + 1) + '}') as StatJson;
      if (depth === 0) break;
    }
  }
  return JSON.parse(text) as StatJson;
}

/** Recursive totals per module from `stat -json` (submodule instances appear as cell types). */
export function moduleTotals(arch: Arch, stat: StatJson): { own: Map<string, CellCounts>; total: Map<string, CellCounts>; subs: Map<string, Record<string, number>> } {
  const names = new Map<string, string>();
  for (const k of Object.keys(stat.modules)) names.set(k, k);
  const own = new Map<string, CellCounts>();
  const subs = new Map<string, Record<string, number>>();
  for (const [k, v] of Object.entries(stat.modules)) {
    const cells: Record<string, number> = {};
    const sub: Record<string, number> = {};
    for (const [t, n] of Object.entries(v.num_cells_by_type ?? {})) {
      if (names.has(t) || names.has('\\' + t)) sub[names.has(t) ? t : '\\' + t] = n;
      else cells[t] = n;
    }
    own.set(k, countCells(arch, cells));
    subs.set(k, sub);
  }
  const total = new Map<string, CellCounts>();
  const visit = (k: string): CellCounts => {
    const done = total.get(k);
    if (done) return done;
    let c = own.get(k) ?? { ...ZERO_COUNTS };
    for (const [s, n] of Object.entries(subs.get(k) ?? {})) c = addCounts(c, visit(s), n);
    total.set(k, c);
    return c;
  };
  for (const k of Object.keys(stat.modules)) visit(k);
  return { own, total, subs };
}

export interface BlockMeasure {
  /** instance name in the wrapper ('' for the wrapper's own cells: compute block, ROMs, output FIFO) */
  inst: string;
  kind: string;
  measured: CellCounts;
  estimate?: Resources;
}

export interface LayerMeasure {
  name: string;
  module: string;
  measured: CellCounts;
  blocks: BlockMeasure[];
  estimate?: Resources;
  /** (estimate - measured) / measured in percent, LUT and FF */
  lutErrorPct?: number;
  ffErrorPct?: number;
  /** longest register-to-register path inside the wrapper, in LUTs (--lut-depth) */
  lutDepth?: number;
}

export interface PnrReport {
  device: string;
  fmaxMhz: number;
  constraintMhz: number;
  utilisation: Record<string, { used: number; available: number }>;
  bitstream: string;
  seconds: number;
}

export interface SynthReport {
  design: string;
  dir: string;
  arch: Arch;
  yosys: string;
  seconds: number;
  layers: LayerMeasure[];
  total: CellCounts;
  estimateTotal?: Resources;
  lutErrorPct?: number;
  pnr?: PnrReport;
}

export interface SynthOptions {
  arch: Arch;
  /** estimate to compare with (else flows/estimate.json when present) */
  estimate?: PlanEstimate | null;
  pnr?: boolean;
  device?: string;
  clockMhz?: number;
  lutDepth?: boolean;
  outDir?: string;
  /** also use a non-empty work folder that bnn-hw's synth did not write (its contents are deleted) */
  force?: boolean;
  timeoutMs?: number;
  progress?: (msg: string) => void;
}

/** Without HOME: Yosys appends every script it runs to $HOME/.yosys_history, a file of the user's that synth must not change. */
export function yosysEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['HOME'];
  return env;
}

export async function yosysVersion(): Promise<string> {
  const r = await runTool('yosys', ['-V']);
  return r.stdout.trim().split('\n')[0] ?? 'unknown';
}

const pct = (est: number, meas: number): number | undefined => (meas > 0 ? Math.round(((est - meas) / meas) * 1000) / 10 : undefined);

export function pnrHarness(d: DesignInfo): { module: string; text: string } {
  const module = pnrModule(d.name);
  const inMsb = d.inWidth - 1;
  const shift = d.inWidth === 1 ? 'din' : `{sh[${d.inWidth - 2}:0], din}`;
  return { module, text: render('flows/pnr_top.v.hbs', { module, top: d.top, version: VERSION, inMsb, outMsb: d.outWidth - 1, shift }) };
}

/** A work folder bnn-hw's synth wrote: its synth.ys starts with the template's first line (templates/flows/yosys.ys.hbs). */
export function isSynthWorkDir(dir: string): boolean {
  try {
    const f = join(dir, 'synth.ys');
    const st = lstatSync(f);
    return st.isFile() && st.size < 64 << 20 && /^# Yosys \w+ synthesis of \w+ \(bnn-hw /.test(readFileSync(f, 'utf8').slice(0, 200));
  } catch {
    return false;
  }
}

/**
 * The work folder, under the rules of every output folder (docs/output-folders.md): a new or empty
 * folder, or one synth wrote before (emptied first), or with --force any other folder; never the
 * working folder or its parents, the home folder, a file or a link.
 */
function prepareWorkDir(path: string, force: boolean): string {
  const own = { test: isSynthWorkDir, what: 'no synth work folder written by bnn-hw (no bnn-hw synth.ys)' };
  const { dir, exists } = checkOutputDir(path, { force, own });
  mapFsErrors(dir, () => {
    if (exists) for (const n of readdirSync(dir)) rmSync(join(dir, n), { recursive: true, force: true });
    else mkdirs(dir);
  }, 'write the work folder');
  return dir;
}

export async function runSynth(dirArg: string, o: SynthOptions): Promise<SynthReport> {
  const d = readDesign(dirArg);
  const est = o.estimate === undefined ? readDesignEstimate(d.dir, o.arch) : o.estimate;
  if (!toolPath('yosys')) synthFail('BNN131', 'yosys is not installed (not in PATH)', 'install Yosys 0.23 or newer (Debian: apt install yosys)');
  if (o.pnr && o.arch !== 'ice40') synthFail('BNN133', `--pnr is available for --arch ice40 only (nextpnr-ice40); found --arch ${o.arch}`, 'use --arch ice40 --pnr, or the Vivado script in flows/ for Xilinx');
  const out = prepareWorkDir(o.outDir ?? join(d.dir, 'build', `synth-${o.arch}`), !!o.force);
  const rel = (f: string) => relative(d.dir, join(out, f));
  const extra: string[] = [];
  let top = d.top;
  const extraSources: string[] = [];
  let harness: { module: string; text: string } | null = null;
  if (o.pnr) {
    harness = pnrHarness(d);
    extraSources.push(rel(`${harness.module}.v`));
    top = harness.module;
    extra.push(...FLATTEN_ALL, `write_json ${rel('pnr.json')}`);
  }
  if (o.lutDepth) extra.unshift(`write_json ${rel('netlist.json')}`);
  const script = yosysScript(d, { arch: o.arch, top, statFile: rel('stat.json'), logFile: rel('yosys.log'), scriptPath: rel('synth.ys'), extra, extraSources });
  writeFileSync(join(out, 'synth.ys'), script); // first: it marks the folder as synth's
  if (harness) writeFileSync(join(out, `${harness.module}.v`), harness.text);
  const version = await yosysVersion();
  o.progress?.(`yosys ${o.arch}: ${d.top} (${d.wrappers.length} layers)`);
  const t0 = Date.now();
  const r = await runTool('yosys', ['-q', '-l', rel('yosys.log'), '-s', rel('synth.ys')], { cwd: d.dir, env: yosysEnv(), timeoutMs: o.timeoutMs ?? 4 * 3600_000 });
  const seconds = (Date.now() - t0) / 1000;
  if (r.code !== 0) {
    const log = existsSync(join(out, 'yosys.log')) ? readFileSync(join(out, 'yosys.log'), 'utf8') : '';
    synthFail('BNN131', `yosys failed (exit ${r.code}) on ${d.top}: ${(r.stderr + log).split('\n').filter((l) => /ERROR|error/.test(l)).slice(0, 3).join(' | ') || 'see the log'}`, `log: ${join(out, 'yosys.log')}`);
  }
  const stat = parseStatJson(readFileSync(join(out, 'stat.json'), 'utf8'));
  const { own, total, subs } = moduleTotals(o.arch, stat);
  const key = (m: string) => (stat.modules['\\' + m] ? '\\' + m : m);
  let netlist: NetlistJson | null = null;
  if (o.lutDepth) netlist = JSON.parse(readFileSync(join(out, 'netlist.json'), 'utf8')) as NetlistJson;
  const layers: LayerMeasure[] = d.wrappers.map((w) => {
    const k = key(w.module);
    const measured = total.get(k) ?? { ...ZERO_COUNTS };
    // by module, not by name: the argmax stage may share its name with a layer called argmax
    const e = est?.layers.find((l) => l.module === w.module);
    const blocks: BlockMeasure[] = [];
    const sub = subs.get(k) ?? {};
    for (const i of w.instances) {
      const kind = i.kind;
      const t = Object.keys(sub).find((s) => s.includes(i.lib));
      const be = e?.blocks.find((b) => b.kind === kind);
      blocks.push({ inst: i.inst, kind, measured: t ? total.get(t)! : { ...ZERO_COUNTS }, ...(be ? { estimate: be } : {}) });
    }
    const computeKind = w.kind;
    const kept = new Set(w.instances.map((i) => i.kind));
    const ce = e?.blocks.filter((b) => !kept.has(b.kind));
    const ceSum = ce && ce.length ? ce.reduce((a, b) => ({ ...a, lut: a.lut + b.lut, ff: a.ff + b.ff, bram18: a.bram18 + b.bram18, ebr: a.ebr + b.ebr, dsp: a.dsp + b.dsp, lutram: a.lutram + b.lutram })) : undefined;
    blocks.unshift({ inst: '', kind: computeKind, measured: own.get(k) ?? { ...ZERO_COUNTS }, ...(ceSum ? { estimate: ceSum } : {}) });
    const lm: LayerMeasure = { name: w.name, module: w.module, measured, blocks };
    if (e) {
      lm.estimate = { lut: e.lut, ff: e.ff, bram18: e.bram18, ebr: e.ebr, dsp: e.dsp, lutram: e.lutram };
      const le = pct(e.lut, measured.lut);
      const fe = pct(e.ff, measured.ff);
      if (le !== undefined) lm.lutErrorPct = le;
      if (fe !== undefined) lm.ffErrorPct = fe;
    }
    if (netlist) lm.lutDepth = lutDepth(netlist, k, o.arch);
    return lm;
  });
  const tot = layers.reduce((a, l) => addCounts(a, l.measured), { ...ZERO_COUNTS });
  const report: SynthReport = { design: d.name, dir: d.dir, arch: o.arch, yosys: version, seconds: Math.round(seconds * 10) / 10, layers, total: tot };
  if (est) {
    report.estimateTotal = est.total;
    const le = pct(est.total.lut, tot.lut);
    if (le !== undefined) report.lutErrorPct = le;
  }
  if (o.pnr) report.pnr = await runPnr(d, out, o);
  writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  return report;
}

async function runPnr(d: DesignInfo, out: string, o: SynthOptions): Promise<PnrReport> {
  const { findDevice } = await import('../estimate/devices.js');
  const dev = findDevice(o.device ?? 'ice40hx8k');
  if (!dev.nextpnr) synthFail('BNN133', `--pnr needs an iCE40 device, found ${dev.name}`, 'use --device ice40hx8k or ice40up5k');
  for (const t of ['nextpnr-ice40', 'icepack']) if (!toolPath(t)) synthFail('BNN132', `${t} is not installed (not in PATH)`, 'Debian: apt install nextpnr-ice40 fpga-icestorm');
  const mhz = o.clockMhz ?? 50;
  o.progress?.(`nextpnr-ice40 ${dev.nextpnr!.flag} ${dev.nextpnr!.pkg} at ${mhz} MHz`);
  const t0 = Date.now();
  const r = await runTool('nextpnr-ice40', [dev.nextpnr!.flag, '--package', dev.nextpnr!.pkg, '--json', 'pnr.json', '--asc', 'pnr.asc', '--freq', String(mhz), '--report', 'pnr-report.json', '--pcf-allow-unconstrained', '--timing-allow-fail', '--seed', '1'], { cwd: out, timeoutMs: o.timeoutMs ?? 4 * 3600_000 });
  writeFileSync(join(out, 'nextpnr.log'), r.stdout + r.stderr);
  if (r.code !== 0) {
    const why = (r.stdout + r.stderr).split('\n').filter((l) => /ERROR/.test(l)).slice(0, 2).join(' | ');
    synthFail('BNN132', `nextpnr-ice40 failed on ${d.top} for ${dev.name}: ${why || `exit ${r.code}`}`, `log: ${join(out, 'nextpnr.log')}`);
  }
  const rep = JSON.parse(readFileSync(join(out, 'pnr-report.json'), 'utf8')) as { fmax?: Record<string, { achieved: number; constraint: number }>; utilization?: Record<string, { used: number; available: number }> };
  const clk = Object.values(rep.fmax ?? {})[0];
  const p = await runTool('icepack', ['pnr.asc', 'pnr.bin'], { cwd: out, timeoutMs: 600_000 });
  if (p.code !== 0) synthFail('BNN132', `icepack failed: ${p.stderr.trim().split('\n')[0] ?? ''}`);
  return {
    device: dev.name, fmaxMhz: Math.round((clk?.achieved ?? 0) * 100) / 100, constraintMhz: clk?.constraint ?? mhz,
    utilisation: rep.utilization ?? {}, bitstream: join(out, 'pnr.bin'), seconds: Math.round((Date.now() - t0) / 100) / 10,
  };
}

// ------------------------------------------------------------------------------------- LUT depth
interface NetlistJson {
  modules: Record<string, {
    ports: Record<string, { direction: string; bits: (number | string)[] }>;
    cells: Record<string, { type: string; port_directions?: Record<string, string>; connections: Record<string, (number | string)[]> }>;
  }>;
}

const isLut = (arch: Arch, t: string) => (arch === 'xilinx' ? /^LUT[1-6]$/.test(t) || t === 'INV' || t in LUTRAM_LUTS : arch === 'ice40' ? t === 'SB_LUT4' : arch === 'ecp5' ? t === 'LUT4' : /^\$_(AND|OR|XOR|XNOR|NAND|NOR|NOT|MUX|ANDNOT|ORNOT)_$/.test(t));
const isComb = (arch: Arch, t: string) => isLut(arch, t) || (arch === 'xilinx' ? /^(CARRY4|CARRY8|MUXF[789])$/.test(t) : arch === 'ice40' ? t === 'SB_CARRY' : arch === 'ecp5' ? t === 'CCU2C' || t === 'PFUMX' || t === 'L6MUX21' : false);
/** LUTRAM cells are combinational from the read address (DPRA / ADDR) to the data out. */
const LUTRAM_SYNC_INPUTS = /^(D|DI[A-D]?|WE|WCLK|CLK)$/;

/** Longest register-to-register (or port) path inside one module, counted in LUT cells. */
export function lutDepth(n: NetlistJson, moduleKey: string, arch: Arch): number {
  const m = n.modules[moduleKey] ?? n.modules[moduleKey.replace(/^\\/, '')];
  if (!m) return 0;
  const driver = new Map<number, string>();
  for (const [name, c] of Object.entries(m.cells)) {
    if (!isComb(arch, c.type)) continue;
    for (const [p, bits] of Object.entries(c.connections)) if (c.port_directions?.[p] === 'output') for (const b of bits) if (typeof b === 'number') driver.set(b, name);
  }
  const memo = new Map<string, number>();
  const depth = (name: string, stack: Set<string>): number => {
    const got = memo.get(name);
    if (got !== undefined) return got;
    if (stack.has(name)) return 0;
    stack.add(name);
    const c = m.cells[name]!;
    let best = 0;
    const lutram = arch === 'xilinx' && c.type in LUTRAM_LUTS;
    for (const [p, bits] of Object.entries(c.connections)) {
      if (c.port_directions?.[p] !== 'input') continue;
      if (lutram && LUTRAM_SYNC_INPUTS.test(p)) continue;
      for (const b of bits) {
        if (typeof b !== 'number') continue;
        const dn = driver.get(b);
        if (dn) best = Math.max(best, depth(dn, stack));
      }
    }
    stack.delete(name);
    const v = best + (isLut(arch, c.type) ? 1 : 0);
    memo.set(name, v);
    return v;
  };
  let worst = 0;
  for (const name of driver.values()) worst = Math.max(worst, depth(name, new Set()));
  return worst;
}
