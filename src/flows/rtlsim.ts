/**
 * Running a generated design's testbench under Icarus Verilog or Verilator, and reading its summary.
 * The simulators run with the design folder as working directory (memory files are mem/...).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { byteWidth } from '../blocks/types.js';
import { runTool, toolPath } from './tools.js';
import { beatHex } from './stimulus.js';
import type { Patterns } from '../sim/patterns.js';
import { normHex } from '../sim/streams.js';
import { TESTBENCH_FILE, TESTBENCH_MODULE } from '../util/names.js';

export type RtlSimulator = 'icarus' | 'verilator';

export interface RtlRun {
  inBeats: number[][];
  outBeats: number[][];
  inLaneW: number;
  outLaneW: number;
  patterns: Patterns;
  /** folder (relative to the design) for this run's data files */
  dataDir: string;
  timeoutCycles: number;
  /** the testbench's watchdog bound (+watchdog): cycles without a handshake on any stream; absent: none */
  watchdog?: number;
}

/** The testbench's watchdog report: the cycle it fired and the full / starved streams, by name. */
export interface WatchdogReport {
  cycle: number;
  bound: number;
  full: string[];
  starved: string[];
}

export interface RtlResult {
  simulator: RtlSimulator;
  inBeats: number;
  outBeats: number;
  mismatches: number;
  firstIn: number;
  firstOut: number;
  /** cycle of every output handshake */
  outCycles: number[];
  outData: string[];
  timeout: boolean;
  cycles: number;
  seconds: number;
  /** with +trace: per stream path (s1, u_fc1.st0, ...) the cycles and data of its handshakes */
  streams: Map<string, StreamTrace> | null;
  /** the watchdog stopped the run (no handshake for `bound` cycles) */
  watchdog: WatchdogReport | null;
}

export interface StreamTrace {
  cycles: number[];
  /** `%h` words, normalised (lower case, no leading zeros) */
  data: string[];
}

function toolError(message: string, detail: string): DiagnosticError {
  return new DiagnosticError({ code: 'BNN100', pointer: '', message, hint: detail.split('\n').slice(-15).join('\n') });
}

export function writeRunData(designDir: string, run: RtlRun): void {
  const dir = join(designDir, run.dataDir);
  mkdirSync(dir, { recursive: true });
  const hex = (beats: number[][], w: number) => beats.map((b) => beatHex(b, w)).join('\n') + '\n';
  writeFileSync(join(dir, 'input.hex'), hex(run.inBeats, run.inLaneW));
  writeFileSync(join(dir, 'expected.hex'), hex(run.outBeats, run.outLaneW));
  writeFileSync(join(dir, 'valid.pat'), Array.from(run.patterns.valid).join('\n') + '\n');
  writeFileSync(join(dir, 'ready.pat'), Array.from(run.patterns.ready).join('\n') + '\n');
}

const pow2 = (n: number) => 2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, n))));

export interface RunFlags {
  /** dump a VCD to this file (relative to the design folder) */
  vcd?: string;
  /** dump only the stream signals (with vcd) */
  vcdStreams?: boolean;
  /** print every handshake of every stream */
  trace?: boolean;
}

export function plusargs(run: RtlRun, flags: RunFlags | string = {}): string[] {
  const f: RunFlags = typeof flags === 'string' ? { vcd: flags } : flags;
  return [
    `+dir=${run.dataDir}`, `+in_beats=${run.inBeats.length}`, `+out_beats=${run.outBeats.length}`,
    `+plen=${run.patterns.valid.length}`, `+timeout=${run.timeoutCycles}`, ...(run.watchdog ? [`+watchdog=${run.watchdog}`] : []), ...(f.vcd ? [`+vcd=${f.vcd}`] : []),
    ...(f.vcd && f.vcdStreams ? ['+vcd_streams'] : []), ...(f.trace ? ['+trace'] : []),
  ];
}

export function parseResult(simulator: RtlSimulator, stdout: string, seconds: number): RtlResult {
  const outCycles: number[] = [];
  const outData: string[] = [];
  let streams: Map<string, StreamTrace> | null = null;
  let summary: Record<string, number> | null = null;
  let watchdog: WatchdogReport | null = null;
  for (const line of stdout.split('\n')) {
    const wd = /^BNNHW WATCHDOG cycle=(\d+) bound=(\d+)/.exec(line);
    if (wd) {
      watchdog = { cycle: Number(wd[1]), bound: Number(wd[2]), full: [], starved: [] };
      continue;
    }
    const fs = /^BNNHW (FULL|STARVED) (\S+)/.exec(line);
    if (fs && watchdog) {
      (fs[1] === 'FULL' ? watchdog.full : watchdog.starved).push(fs[2]!);
      continue;
    }
    if (line.startsWith('BNNHW HS ')) {
      const [path, cyc, hex] = line.slice(9).trim().split(/\s+/);
      streams ??= new Map();
      let t = streams.get(path!);
      if (!t) streams.set(path!, (t = { cycles: [], data: [] }));
      t.cycles.push(Number(cyc));
      t.data.push(normHex(hex ?? ''));
      continue;
    }
    const m = /^BNNHW OUT (\d+) (\d+) ([0-9a-fA-FxXzZ]+)/.exec(line);
    if (m) {
      outCycles.push(Number(m[2]));
      outData.push(m[3]!.toLowerCase());
      continue;
    }
    if (line.startsWith('BNNHW RESULT')) {
      summary = Object.fromEntries(line.slice(13).trim().split(/\s+/).map((kv) => kv.split('=')).map(([k, v]) => [k!, Number(v)]));
    }
  }
  if (!summary) throw toolError(`${simulator}: the testbench printed no result line`, stdout);
  return {
    simulator, inBeats: summary['in_beats']!, outBeats: summary['out_beats']!, mismatches: summary['mismatches']!,
    firstIn: summary['first_in']!, firstOut: summary['first_out']!, outCycles, outData, timeout: summary['timeout'] === 1,
    cycles: summary['cycles']!, seconds, streams, watchdog,
  };
}

function need(tool: string): void {
  if (!toolPath(tool)) {
    throw new DiagnosticError({ code: 'BNN101', pointer: '', message: `${tool} is not installed (not found in PATH)`, hint: 'install the Debian packages iverilog, verilator and yosys (see README, Quick start)' });
  }
}

/** Compile the design + testbench once per (simulator, memory sizes); returns the command to run. */
/**
 * Verilator turns wide fully-unrolled layers into tens of MB of C++; compiling that with -O0 is several
 * times faster and the simulation of such designs is short anyway. `big` selects it.
 */
export async function buildSim(simulator: RtlSimulator, designDir: string, maxIn: number, maxOut: number, opts: { trace?: boolean; big?: boolean } = {}): Promise<{ exe: string; args: string[] }> {
  const mi = pow2(maxIn);
  const mo = pow2(maxOut);
  const build = `build/${simulator}_${mi}_${mo}${opts.trace ? '_trace' : ''}`;
  mkdirSync(join(designDir, build), { recursive: true });
  if (simulator === 'icarus') {
    need('iverilog');
    need('vvp');
    const r = await runTool('iverilog', ['-g2005', '-Wall', '-Wno-timescale', '-o', `${build}/sim.vvp`, '-s', TESTBENCH_MODULE, `-P${TESTBENCH_MODULE}.MAX_IN=${mi}`, `-P${TESTBENCH_MODULE}.MAX_OUT=${mo}`, '-f', 'flows/sources.f', TESTBENCH_FILE], { cwd: designDir });
    if (r.code !== 0) throw toolError('iverilog failed to compile the design', r.stderr + r.stdout);
    return { exe: 'vvp', args: ['-n', `${build}/sim.vvp`] };
  }
  need('verilator');
  const r = await runTool(
    'verilator',
    ['--binary', '--timing', '-Wno-fatal', '-Wno-lint', '-Wno-style', '-j', '2', '--top-module', TESTBENCH_MODULE, `-GMAX_IN=${mi}`, `-GMAX_OUT=${mo}`,
      ...(opts.trace ? ['--trace'] : []), ...(opts.big ? ['-MAKEFLAGS', 'OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0'] : []), '--Mdir', `${build}/obj_dir`, '-o', 'Vtb', '-f', 'flows/sources.f', TESTBENCH_FILE],
    { cwd: designDir },
  );
  if (r.code !== 0) throw toolError('verilator failed to build the design', r.stderr + r.stdout);
  return { exe: join(designDir, build, 'obj_dir', 'Vtb'), args: [] };
}

export async function runSim(simulator: RtlSimulator, designDir: string, cmd: { exe: string; args: string[] }, run: RtlRun, flags: RunFlags | string = {}): Promise<RtlResult> {
  writeRunData(designDir, run);
  const t0 = process.hrtime.bigint();
  const r = await runTool(cmd.exe, [...cmd.args, ...plusargs(run, flags)], { cwd: designDir });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // the watchdog stops the run with $fatal (a failing exit) after its report
  if (r.code !== 0 && !/^BNNHW WATCHDOG /m.test(r.stdout)) throw toolError(`${simulator} simulation exited with code ${r.code}`, r.stderr + r.stdout);
  return parseResult(simulator, r.stdout, seconds);
}

export { byteWidth };
