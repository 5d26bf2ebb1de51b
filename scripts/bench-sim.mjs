#!/usr/bin/env node
/**
 * npm run bench:sim: the cycle-accurate TypeScript simulator against Verilator and Icarus on TFC,
 * SFC, LFC, TFC-W1A2 and LFC-W1A2, each with one folding (bench/foldings) and the same seeded input vectors in all three
 * simulators, no stalls. Every run's outputs are checked against the reference. Writes
 * bench/results.md (frames and cycles per second, ratios, the machine).
 *
 * Timed: the simulation run only (the RTL simulators' compile time is reported separately; for the
 * TypeScript simulator the run includes building the block models). Wall-clock and CPU time are
 * both reported (CPU time of the simulator process; the ratios use CPU time, which is less disturbed
 * by other load on the machine). A "long" run, the same vectors repeated, gives TS and Verilator
 * steady numbers; Icarus only does the common run (it is slow).
 *
 * Environment: BENCH_DESIGNS=tfc,sfc (subset: the rows of the other designs are kept from the previous
 * bench/results.md), BENCH_SCALE=0.5 (frame counts), BENCH_KEEP=1 (keep the generated designs in
 * bench/work).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
import { loadModelFile } from '../dist/frontend/load.js';
import { buildDesign } from '../dist/flows/build.js';
import { expectedOutputs, seededCodes } from '../dist/flows/verify.js';
import { inputBeats, outputBeats } from '../dist/flows/stimulus.js';
import { stallPatterns } from '../dist/sim/patterns.js';
import { buildSim, parseResult, writeRunData } from '../dist/flows/rtlsim.js';
import { simulate } from '../dist/sim/engine.js';
import { beatValue } from '../dist/sim/streams.js';
import { writeTreeAtomic } from '../dist/util/fs.js';

const scale = Number(process.env.BENCH_SCALE ?? 1);
// frames of the common run (Icarus takes about a minute on each) and of the long run
const ALL = [
  { name: 'tfc', frames: 128, long: 20000 },
  { name: 'sfc', frames: 32, long: 4000 },
  { name: 'lfc', frames: 6, long: 1500 },
  // W1A2 (2-bit activations, bit-plane datapath in fc1..fc3)
  { name: 'tfc_w1a2', frames: 128, long: 20000 },
  { name: 'lfc_w1a2', frames: 4, long: 1500 },
];
const DESIGNS = ALL.filter((d) => !process.env.BENCH_DESIGNS || process.env.BENCH_DESIGNS.split(',').includes(d.name));
const RESULTS = join(ROOT, 'bench', 'results.md');
const VECTORS = 16;

/** @typedef {import('../dist/passes/plan.js').HwPlan} HwPlan */
/** @typedef {import('../dist/ir/model.js').Model} Model */
/** @typedef {import('../dist/flows/rtlsim.js').RtlSimulator} RtlSimulator */
/** @typedef {{ inBeats: number[][], outBeats: number[][] }} Stimulus */
/** @typedef {{ frames: number, cycles: number, wall: number, cpu: number, heapMB?: number }} RunStats */
/** @typedef {{ design: string, cpf: number, fold: string, runs: Record<string, RunStats>, verilatorBuild?: number, icarusBuild?: number }} BenchRow */

/** @param {string} cmd @param {string[]} args */
const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'n/a';
  }
};

/**
 * Run a simulator binary under /usr/bin/time: stdout, wall and CPU seconds.
 * @param {string} exe @param {string[]} args @param {string} cwd
 * @returns {Promise<{ stdout: string, wall: number, cpu: number }>}
 */
function timed(exe, args, cwd) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'BENCH_CPU %U %S', exe, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {Buffer[]} */
    const out = [];
    /** @type {Buffer[]} */
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const e = Buffer.concat(err).toString();
      const m = /BENCH_CPU ([\d.]+) ([\d.]+)/.exec(e);
      if (code !== 0 || !m) return reject(new Error(`${exe} failed (${code}): ${e.slice(-2000)}`));
      resolve({ stdout: Buffer.concat(out).toString(), wall, cpu: Number(m[1]) + Number(m[2]) });
    });
  });
}

/** @param {HwPlan} plan @param {Model} model @param {number} frames @returns {Stimulus} */
function stimulus(plan, model, frames) {
  const codes = seededCodes(model, VECTORS, 1);
  const exp = expectedOutputs(model, plan, codes);
  const inF = codes.map((c) => inputBeats(plan, c));
  const outF = codes.map((_, i) => outputBeats(plan, typeof exp.outputs[i] === 'number' ? exp.outputs[i] : null, exp.scores[i]));
  const inBeats = [];
  const outBeats = [];
  for (let f = 0; f < frames; f++) {
    inBeats.push(...inF[f % VECTORS]);
    outBeats.push(...outF[f % VECTORS]);
  }
  return { inBeats, outBeats };
}

/**
 * @param {RtlSimulator} sim @param {string} dir @param {{ exe: string, args: string[] }} cmd
 * @param {HwPlan} plan @param {Stimulus} s @param {string} name @returns {Promise<RunStats>}
 */
async function rtlRun(sim, dir, cmd, plan, s, name) {
  const run = { ...s, inLaneW: plan.input.laneW, outLaneW: plan.output.laneW, patterns: stallPatterns(0, 0), dataDir: `tb/data/${name}`, timeoutCycles: 2_000_000_000 };
  writeRunData(dir, run);
  const args = [...cmd.args, `+dir=${run.dataDir}`, `+in_beats=${s.inBeats.length}`, `+out_beats=${s.outBeats.length}`, '+plen=1', `+timeout=${run.timeoutCycles}`];
  const t = await timed(cmd.exe === 'vvp' ? '/usr/bin/vvp' : cmd.exe, args, dir);
  const r = parseResult(sim, t.stdout, t.wall);
  if (r.mismatches !== 0 || r.outBeats !== s.outBeats.length) throw new Error(`${sim}: ${r.mismatches} mismatches, ${r.outBeats} of ${s.outBeats.length} beats`);
  return { frames: s.outBeats.length / plan.output.beats, cycles: r.cycles, wall: t.wall, cpu: t.cpu };
}

/** @param {HwPlan} plan @param {Stimulus} s @returns {RunStats} */
function tsRun(plan, s) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let bad = 0;
  const r = simulate(plan, s.inBeats, s.outBeats.length, {
    patterns: stallPatterns(0, 0), keepOutputs: false,
    onOutput: (b, _c, j) => {
      if (beatValue(b, plan.output.laneW) !== beatValue(s.outBeats[j], plan.output.laneW)) bad++;
    },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  if (bad !== 0 || r.outCount !== s.outBeats.length) throw new Error(`ts: ${bad} mismatches`);
  return { frames: s.outBeats.length / plan.output.beats, cycles: r.cycles, wall, cpu: (cu.user + cu.system) / 1e6, heapMB: process.memoryUsage().heapUsed / 2 ** 20 };
}

/**
 * The table lines of an earlier bench/results.md per table (common, long, ratios) and design, kept
 * verbatim for the designs this run does not measure.
 * @param {string} md @returns {Map<string, string[]>[]}
 */
function previousLines(md) {
  /** @type {Map<string, string[]>[]} */
  const tables = [new Map(), new Map(), new Map()];
  let t = -1;
  for (const line of md.split('\n')) {
    if (line.startsWith('## ')) t = line.startsWith('## Common') ? 0 : line.startsWith('## Long') ? 1 : line.startsWith('## Ratios') ? 2 : -1;
    const design = line.split('|')[1]?.trim();
    if (t < 0 || !line.startsWith('| ') || !design || design === 'design') continue;
    tables[t].set(design, [...(tables[t].get(design) ?? []), line]);
  }
  return tables;
}

/** @param {number} x @param {number} [d] */
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
/** @type {BenchRow[]} */
const rows = [];
/** @type {string[]} */
const notes = [];
const load0 = loadavg();
const workRoot = process.env.BENCH_KEEP === '1' ? join(ROOT, 'bench', 'work') : join(tmpdir(), `bnn-hw-bench-${process.pid}`);
for (const d of DESIGNS) {
  const frames = Math.max(3, Math.round(d.frames * scale));
  const long = Math.max(frames, Math.round(d.long * scale));
  const model = loadModelFile(join(ROOT, 'examples', `${d.name}.json`));
  const fold = join(ROOT, 'bench', 'foldings', `${d.name}.json`);
  const built = buildDesign(model, { fold });
  const { plan } = built;
  const dir = join(workRoot, d.name);
  rmSync(dir, { recursive: true, force: true });
  writeTreeAtomic(dir, built.files);
  const common = stimulus(plan, model, frames);
  const longS = stimulus(plan, model, long);
  console.error(`${d.name}: ${plan.cyclesPerFrame} cycles/frame; common run ${frames} frames, long run ${long} frames`);
  /** @type {BenchRow} */
  const res = { design: d.name, cpf: plan.cyclesPerFrame, fold: `bench/foldings/${d.name}.json`, runs: {} };
  // TypeScript
  res.runs.ts = tsRun(plan, common);
  res.runs.tsLong = tsRun(plan, longS);
  // the common run again in the same process: the JIT has warmed up
  res.runs.tsWarm = tsRun(plan, common);
  console.error(`  ts: ${fmt(res.runs.ts.cpu, 3)} s, long ${fmt(res.runs.tsLong.cpu, 3)} s`);
  // Verilator: one build sized for the long run
  let t0 = Date.now();
  const vcmd = await buildSim('verilator', dir, longS.inBeats.length, longS.outBeats.length);
  res.verilatorBuild = (Date.now() - t0) / 1000;
  res.runs.verilator = await rtlRun('verilator', dir, vcmd, plan, common, 'common');
  res.runs.verilatorLong = await rtlRun('verilator', dir, vcmd, plan, longS, 'long');
  console.error(`  verilator: build ${fmt(res.verilatorBuild, 1)} s, run ${fmt(res.runs.verilator.cpu, 3)} s, long ${fmt(res.runs.verilatorLong.cpu, 3)} s`);
  // Icarus: the common run
  t0 = Date.now();
  const icmd = await buildSim('icarus', dir, common.inBeats.length, common.outBeats.length);
  res.icarusBuild = (Date.now() - t0) / 1000;
  res.runs.icarus = await rtlRun('icarus', dir, icmd, plan, common, 'common');
  console.error(`  icarus: run ${fmt(res.runs.icarus.cpu, 1)} s`);
  for (const k of ['ts', 'verilator', 'icarus', 'tsLong', 'verilatorLong']) if (res.runs[k].cycles !== (k.endsWith('Long') ? res.runs.tsLong.cycles : res.runs.ts.cycles)) throw new Error(`${d.name}: ${k} simulated a different number of cycles`);
  rows.push(res);
}
if (process.env.BENCH_KEEP !== '1') rmSync(workRoot, { recursive: true, force: true });
const load1 = loadavg();
// designs not measured now keep their lines of the previous results.md
const measured = rows.map((r) => r.design);
const previous = existsSync(RESULTS) ? previousLines(readFileSync(RESULTS, 'utf8')) : [new Map(), new Map(), new Map()];
const kept = ALL.map((d) => d.name).filter((n) => !measured.includes(n) && previous[0].has(n));
/**
 * Lines of one table in ALL's order: generated for the measured designs, kept for the others.
 * @param {number} t @param {(r: BenchRow) => string[]} gen
 */
const tableLines = (t, gen) => ALL.flatMap((d) => {
  const r = rows.find((x) => x.design === d.name);
  return r ? gen(r) : (previous[t].get(d.name) ?? []);
});

const lines = [];
lines.push('# Simulator benchmark: TypeScript cycle model vs Verilator vs Icarus', '');
lines.push('Generated by `npm run bench:sim` (scripts/bench-sim.mjs). Do not edit by hand; rerun it.', '');
lines.push('Each design is simulated with the folding in `bench/foldings/<design>.json` (TFC, LFC and their W1A2 variants with 2-bit activations: FINN\'s foldings, the same as `examples/folds/tfc-finn.json` and `lfc-finn.json`; SFC: `examples/folds/sfc-balanced.json`) and the same seeded input vectors (16 distinct, repeated) in all three simulators, no input gaps or backpressure; every output of every run is checked against the reference, and all three simulators report the same number of cycles. Timed is the simulation run only (RTL compile times listed separately; the RTL runs include process start-up and reading the stimulus files). The TypeScript runs include building the block models. "cold" is the first run in the process (V8 compiles the code while it runs, and that compile time is counted), "warm" the same run again after the long run. Throughput is the long run: the same vectors repeated, TypeScript and Verilator only (Icarus is too slow). Ratios use CPU time of the simulator process (the machine had other load; wall-clock times are listed too).', '');
lines.push('## Machine', '');
lines.push(`- CPU: ${sh('sh', ['-c', "lscpu | grep 'Model name' | sed 's/Model name: *//'"])}, \`nproc\` = ${sh('nproc', [])} (Node sees ${cpus().length})`);
lines.push(`- Node ${process.version}; ${sh('verilator', ['--version'])}; ${sh('sh', ['-c', 'iverilog -V 2>&1 | head -1'])}`);
lines.push(`- load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')}${kept.length ? ` (the run of ${measured.join(', ')}; the rows of ${kept.join(', ')} are kept from an earlier run of this script, \`BENCH_DESIGNS\` subset)` : ''}`);
lines.push(`- Verilator build: \`verilator --binary --timing -O2\` (bnn-hw's verify flow, the generated testbench); Icarus: \`iverilog -g2005\` + \`vvp -n\``, '');
lines.push('## Common run: the same frames in all three simulators', '');
lines.push('| design | cycles/frame | frames | cycles | simulator | CPU s | wall s | frames/s | cycles/s |');
lines.push('|---|---:|---:|---:|---|---:|---:|---:|---:|');
lines.push(...tableLines(0, (r) => ['ts', 'tsWarm', 'verilator', 'icarus'].map((k) => {
  const x = r.runs[k];
  const label = { ts: 'TypeScript (cold)', tsWarm: 'TypeScript (warm)', verilator: 'Verilator', icarus: 'Icarus' }[k];
  return `| ${r.design} | ${r.cpf} | ${x.frames} | ${fmt(x.cycles)} | ${label} | ${fmt(x.cpu, 3)} | ${fmt(x.wall, 3)} | ${fmt(x.frames / x.cpu)} | ${fmt(x.cycles / x.cpu)} |`;
})));
lines.push('', '## Long run: TypeScript and Verilator, the same vectors repeated', '');
lines.push('| design | frames | cycles | simulator | CPU s | wall s | frames/s | cycles/s |');
lines.push('|---|---:|---:|---|---:|---:|---:|---:|');
lines.push(...tableLines(1, (r) => ['tsLong', 'verilatorLong'].map((k) => {
  const x = r.runs[k];
  return `| ${r.design} | ${x.frames} | ${fmt(x.cycles)} | ${k === 'tsLong' ? 'TypeScript' : 'Verilator'} | ${fmt(x.cpu, 3)} | ${fmt(x.wall, 3)} | ${fmt(x.frames / x.cpu)} | ${fmt(x.cycles / x.cpu)} |`;
})));
lines.push('', '## Ratios (TypeScript speed / other, CPU time)', '');
lines.push('| design | vs Verilator, long run | vs Verilator, common run (TS cold / warm) | vs Icarus, common run (TS cold / warm) | Verilator build s | Icarus build s | TS heap after long run MB |');
lines.push('|---|---:|---:|---:|---:|---:|---:|');
lines.push(...tableLines(2, (r) => {
  const R = r.runs;
  return [`| ${r.design} | ${fmt(R.verilatorLong.cpu / R.tsLong.cpu, 1)}x | ${fmt(R.verilator.cpu / R.ts.cpu, 1)}x / ${fmt(R.verilator.cpu / R.tsWarm.cpu, 1)}x | ${fmt(R.icarus.cpu / R.ts.cpu, 0)}x / ${fmt(R.icarus.cpu / R.tsWarm.cpu, 0)}x | ${fmt(/** @type {number} */ (r.verilatorBuild), 1)} | ${fmt(/** @type {number} */ (r.icarusBuild), 1)} | ${fmt(/** @type {number} */ (R.tsLong.heapMB), 1)} |`];
}));
lines.push('');
lines.push('Goal (issue "cycle-accurate TypeScript simulator"): faster than Verilator on each design, and 50x or more faster than Icarus. The TypeScript simulator works at word level (a neuron\'s XNOR-popcount 32 bits at a time, once per neuron, when its last step fires) where the RTL simulators evaluate the bit-level logic every cycle, which is why its advantage grows with the layers\' width (LFC).');
lines.push('');
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(RESULTS, lines.join('\n'));
console.log(lines.join('\n'));
void notes;
