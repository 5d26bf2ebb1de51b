/**
 * Helpers for the RTL library unit co-simulations (test/rtl): hex files, lane packing, a generic
 * AXI-Stream testbench generator (seeded tvalid gaps / tready backpressure) and its Icarus (default) or
 * Verilator runner.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { expect } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool } from '../../src/flows/tools.js';
import { usedLibrary } from '../../src/emit/design.js';
import { Prng } from './prng.js';
import { adderTreeRegs, mvtuStructureParams, mvuIntStructureParams, packFields, REG_BITS } from '../../src/blocks/popcount-plan.js';
import { swgStructureParams } from '../../src/blocks/kinds/swg-sim.js';
import { poolStructureParams } from '../../src/blocks/kinds/pool-sim.js';
import type { PoolParams, SwgParams } from '../../src/blocks/types.js';

export const LIB_DIR = fileURLToPath(new URL('../../templates/lib/', import.meta.url));

/** A module and every library module it instantiates, transitively (found as `generate` finds them). */
export function withDeps(...modules: string[]): string[] {
  return [...usedLibrary(modules).keys()];
}

type ParamSet = Record<string, number | string>;
/** The defaults of bnn_swg's and bnn_pool's own parameters (templates/lib). */
const SWG_DEFAULTS: SwgParams = { ELEM_W: 1, SIMD: 1, C: 2, H: 4, W: 4, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 0, PAD_B: 0, PAD_L: 0, PAD_R: 0, PAD_MODE: 0, PAD_ELEM: 0 };
const POOL_DEFAULTS = { C: 2, PE: 1, ELEM_W: 1, SIGNED: 0, H: 4, W: 4, KH: 2, KW: 2, SH: 2, SW: 2 };
const num = (p: ParamSet, k: string, d: number): number => (p[k] === undefined ? d : Number(p[k]));

/**
 * The parameters with the structure parameters the compiler would pass (POP_* of bnn_mvtu /
 * bnn_mvu_int, REGS of bnn_addtree, computed by src/blocks/popcount-plan.ts; the geometry of bnn_swg
 * and bnn_pool, computed by src/blocks/kinds/swg-sim.ts and pool-sim.ts) from the others (module
 * defaults where absent). Sets that already hold them are returned unchanged.
 */
export function withStructure(module: string, p: ParamSet): ParamSet {
  const simd = num(p, 'SIMD', 4);
  const pop = num(p, 'POP_STAGES', 1);
  if (module === 'bnn_mvtu' && p['POP_H'] === undefined) {
    const nf = num(p, 'MH', 4) / num(p, 'PE', 2);
    const sf = num(p, 'MW', 8) / simd;
    return { ...p, ...Object.fromEntries(mvtuStructureParams(simd, nf, sf, pop).map((x) => [x.name, x.value])) };
  }
  if (module === 'bnn_mvu_int' && p['POP_REGS'] === undefined) {
    const constant = num(p, 'MH', 4) === num(p, 'PE', 2) && num(p, 'MW', 8) === simd;
    const dp = num(p, 'DATAPATH', 0) === 1 ? 'bitplane' : 'addsub';
    return { ...p, ...Object.fromEntries(mvuIntStructureParams(simd, pop, dp, num(p, 'IN_W', 8), constant).map((x) => [x.name, x.value])) };
  }
  if (module === 'bnn_intdot' && p['POP_REGS'] === undefined) {
    const dp = num(p, 'DATAPATH', 0) === 1 ? 'bitplane' : 'addsub';
    return { ...p, ...Object.fromEntries(mvuIntStructureParams(simd, pop, dp, num(p, 'IN_W', 8), false).map((x) => [x.name, x.value])) };
  }
  if (module === 'bnn_bitplane' && p['H'] === undefined) {
    const stages = num(p, 'STAGES', 1);
    const bp = Object.fromEntries(mvuIntStructureParams(simd, stages, 'bitplane', num(p, 'PLANES', 2), num(p, 'FA', 1) === 0).map((x) => [x.name, x.value]));
    return { ...p, COLS: bp['BP_COLS']!, FA: bp['BP_FA']!, LEVELS: bp['BP_LEVELS']!, H: bp['BP_H']!, K: bp['BP_K']!, REGS: bp['BP_REGS']! };
  }
  if (module === 'bnn_swg' && p['OH'] === undefined) {
    const s = Object.fromEntries(Object.entries(SWG_DEFAULTS).map(([k, d]) => [k, num(p, k, d)])) as unknown as SwgParams;
    return { ...p, ...Object.fromEntries(swgStructureParams(s).map((x) => [x.name, x.value])) };
  }
  if (module === 'bnn_pool' && p['OW'] === undefined) {
    const s = { ...Object.fromEntries(Object.entries(POOL_DEFAULTS).map(([k, d]) => [k, num(p, k, d)])), AND_MASK: [] } as unknown as PoolParams;
    return { ...p, ...Object.fromEntries(poolStructureParams(s).map((x) => [x.name, x.value])) };
  }
  if (module === 'bnn_addtree' && p['REGS'] === undefined)
    return { ...p, REGS: packFields(adderTreeRegs(num(p, 'N', 4), num(p, 'STAGES', 0)), REG_BITS) };
  return p;
}

/** Only the structure parameters withStructure adds, as a `.NAME(value)` list (leading comma). */
export function structureParamList(module: string, p: ParamSet): string {
  const all = withStructure(module, p);
  const extra = Object.fromEntries(Object.entries(all).filter(([k]) => !(k in p)));
  return Object.keys(extra).length ? `, ${paramList(extra)}` : '';
}

/** `.NAME(value)` list of parameters for an instance. */
export function paramList(p: ParamSet): string {
  return Object.entries(p).map(([k, v]) => `.${k}(${v})`).join(', ');
}

export function libFile(module: string): string {
  return path.join(LIB_DIR, `${module}.v`);
}

export function clog2(x: number): number {
  let r = 0;
  let v = x - 1;
  while (v > 0) {
    r++;
    v = Math.floor(v / 2);
  }
  return r;
}

export async function makeTmpDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `bnn-hw-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  if (process.env.BNN_KEEP_TMP === '1') return;
  await rm(dir, { recursive: true, force: true });
}

/** Two's complement encoding of `v` in `width` bits, as an unsigned bigint. */
export function toUnsigned(v: bigint | number, width: number): bigint {
  const b = BigInt(v);
  const mod = 1n << BigInt(width);
  return ((b % mod) + mod) % mod;
}

/** Decode a `width`-bit field as signed (two's complement) or unsigned. */
export function fromUnsigned(v: bigint, width: number, signed: boolean): bigint {
  const mask = (1n << BigInt(width)) - 1n;
  const u = v & mask;
  if (signed && u >> BigInt(width - 1) === 1n) return u - (1n << BigInt(width));
  return u;
}

/** Pack lanes (lane k at bits [k*w +: w], lane 0 least significant). Negative values allowed. */
export function packLanes(values: readonly (bigint | number)[], laneW: number): bigint {
  let word = 0n;
  values.forEach((v, k) => {
    word |= toUnsigned(v, laneW) << BigInt(k * laneW);
  });
  return word;
}

export function unpackLanes(word: bigint, laneW: number, n: number, signed = false): bigint[] {
  const out: bigint[] = [];
  for (let k = 0; k < n; k++) out.push(fromUnsigned(word >> BigInt(k * laneW), laneW, signed));
  return out;
}

export function hexWord(v: bigint, width: number): string {
  const digits = Math.max(1, Math.ceil(width / 4));
  if (v < 0n || v >> BigInt(width) !== 0n) throw new Error(`hexWord: ${v} does not fit ${width} bits`);
  return v.toString(16).padStart(digits, '0');
}

/** $readmemh text: one word per line, ceil(width/4) digits. */
export function hexFile(words: readonly bigint[], width: number): string {
  return words.map((w) => hexWord(w, width)).join('\n') + '\n';
}

/** Per-cycle enable mask packed into 32-bit words (bit c%32 of word c/32), each bit 1 with probability p. */
export function maskWords(prng: Prng, cycles: number, p: number): bigint[] {
  const words: bigint[] = [];
  for (let w = 0; w * 32 < cycles; w++) {
    let word = 0n;
    for (let b = 0; b < 32; b++) if (p >= 1 || prng.bool(p)) word |= 1n << BigInt(b);
    words.push(word);
  }
  return words;
}

export interface StreamTbOptions {
  /** Work directory (all files are written there and the simulation runs there). */
  dir: string;
  inW: number;
  outW: number;
  inBeats: readonly bigint[];
  expected: readonly bigint[];
  /**
   * Verilog text placed inside the testbench module: the DUT instance (and any ROMs). Available
   * signals: clk, rst_n, s_tdata [inW], s_tvalid, s_tready (wire), m_tdata [outW] (wire),
   * m_tvalid (wire), m_tready.
   */
  dut: string;
  /** Library modules to compile with the testbench. */
  libModules: readonly string[];
  /** Extra files to write into `dir` (e.g. ROM images), name -> content. */
  files?: Record<string, string>;
  seed: number;
  /** Probability that the source offers a beat in a cycle (1 = no gaps). */
  validProb: number;
  /** Probability that the sink is ready in a cycle (1 = no backpressure). */
  readyProb: number;
  maxCycles: number;
  /** Hierarchical name of a parameter to print, e.g. 'dut.LATENCY'. */
  latencyParam?: string;
  /** Cycles to keep running (sink always ready) after the last expected beat, to catch extra beats. */
  tailCycles?: number;
  /** 'icarus' (default) or 'verilator' (--binary --timing, the testbench unchanged) */
  simulator?: 'icarus' | 'verilator';
}

export interface StreamTbResult {
  beats: bigint[];
  /** Cycle (counted from reset release) in which each output beat was transferred. */
  outCycles: number[];
  /** Cycle of the first input transfer. */
  firstIn: number;
  /** Number of input beats transferred. */
  inCount: number;
  cycles: number;
  /** Mismatches counted by the testbench itself against `expected`. */
  tbMismatches: number;
  timeout: boolean;
  latency?: number;
  log: string;
}

/**
 * The checks of one stream-block co-simulation: no timeout, the block's latency, the expected output
 * beats (also as counted by the testbench), and the cycle model's handshake cycles equal to the RTL's.
 */
export function expectStreamRun(run: { res: StreamTbResult; ts: { firstIn: number; outCycles: number[] }; expected: readonly bigint[]; dir: string }, latency: number): void {
  const { res, ts, expected, dir } = run;
  expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
  expect(res.latency).toBe(latency);
  expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
  expect(res.tbMismatches).toBe(0);
  expect(ts.firstIn).toBe(res.firstIn);
  expect(ts.outCycles).toEqual(res.outCycles);
}

function testbenchText(o: StreamTbOptions, maskLen: number): string {
  const nIn = Math.max(1, o.inBeats.length);
  const nOut = Math.max(1, o.expected.length);
  const tail = o.tailCycles ?? 16;
  const lat = o.latencyParam ? `        $display("LATENCY %0d", ${o.latencyParam});\n` : '';
  return `\`timescale 1ns/1ps
\`default_nettype none
module tb;
    localparam IN_W = ${o.inW};
    localparam OUT_W = ${o.outW};
    localparam NIN = ${o.inBeats.length};
    localparam NOUT = ${o.expected.length};
    localparam NMW = ${maskLen};
    localparam MAXC = ${o.maxCycles};
    localparam TAIL = ${tail};

    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg rst_n = 1'b0;

    reg [IN_W-1:0]  in_mem  [0:${nIn - 1}];
    reg [OUT_W-1:0] exp_mem [0:${nOut - 1}];
    reg [31:0] vmask [0:NMW-1];
    reg [31:0] rmask [0:NMW-1];

    reg  [IN_W-1:0]  s_tdata;
    reg              s_tvalid;
    wire             s_tready;
    wire [OUT_W-1:0] m_tdata;
    wire             m_tvalid;
    reg              m_tready;

${o.dut}

    integer cyc, ip, op, mism, first_in, done_at;
    reg vb, rb, hold;

    initial begin
        ${o.inBeats.length > 0 ? '$readmemh("in.hex", in_mem);' : ''}
        ${o.expected.length > 0 ? '$readmemh("exp.hex", exp_mem);' : ''}
        $readmemh("vmask.hex", vmask);
        $readmemh("rmask.hex", rmask);
${lat}        s_tvalid = 1'b0;
        s_tdata = {IN_W{1'b0}};
        m_tready = 1'b0;
        cyc = 0; ip = 0; op = 0; mism = 0; first_in = -1; done_at = -1;
        repeat (4) @(posedge clk);
        rst_n <= 1'b1;
    end

    always @(posedge clk) begin
        if (rst_n) begin
            // transfers of the cycle that ends at this edge
            if (s_tvalid && s_tready) begin
                if (first_in < 0) first_in = cyc;
                ip = ip + 1;
            end
            if (m_tvalid && m_tready) begin
                $display("O %0d %h", cyc, m_tdata);
                if (op >= NOUT || m_tdata !== exp_mem[op]) mism = mism + 1;
                op = op + 1;
            end
            if (op >= NOUT && done_at < 0) done_at = cyc;
            if ((done_at >= 0 && cyc >= done_at + TAIL) || cyc >= MAXC) begin
                $display("RESULT beats=%0d mismatches=%0d cycles=%0d first_in=%0d in=%0d timeout=%0d",
                         op, mism, cyc, first_in, ip, (done_at < 0) ? 1 : 0);
                $finish;
            end
            cyc = cyc + 1;
            // drive the next cycle
            vb = (cyc >= NMW * 32) ? 1'b1 : vmask[cyc / 32][cyc % 32];
            rb = (cyc >= NMW * 32 || done_at >= 0) ? 1'b1 : rmask[cyc / 32][cyc % 32];
            hold = s_tvalid && !s_tready;
            s_tvalid <= (ip < NIN) && (hold || vb);
            if (ip < NIN) s_tdata <= in_mem[ip];
            m_tready <= rb;
        end
    end
endmodule
\`default_nettype wire
`;
}

const simResultRe =
  /^RESULT beats=(\d+) mismatches=(\d+) cycles=(\d+) first_in=(-?\d+) in=(\d+) timeout=(\d)/m;

/** Compile the testbench and the library modules in o.dir; the command that runs the simulation. */
async function buildTb(o: StreamTbOptions): Promise<{ exe: string; args: string[] }> {
  const sources = ['tb.v', ...o.libModules.map(libFile)];
  if (o.simulator === 'verilator') {
    const comp = await runTool(
      'verilator',
      ['--binary', '--timing', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--top-module', 'tb', '--Mdir', 'obj_dir', '-o', 'Vtb', ...sources],
      { cwd: o.dir, timeoutMs: 600_000 },
    );
    if (comp.code !== 0) throw new Error(`verilator failed in ${o.dir} (code ${comp.code}):\n${comp.stdout}\n${comp.stderr}`);
    return { exe: path.join(o.dir, 'obj_dir', 'Vtb'), args: [] };
  }
  const comp = await runTool('iverilog', ['-g2005', '-Wall', '-o', 'tb.vvp', '-s', 'tb', ...sources], { cwd: o.dir, timeoutMs: 60_000 });
  if (comp.code !== 0) {
    throw new Error(`iverilog failed in ${o.dir} (code ${comp.code}):\n${comp.stdout}\n${comp.stderr}`);
  }
  // any compiler warning (library or testbench, e.g. a port width mismatch) fails the test
  const warnings = (comp.stdout + comp.stderr).split('\n').filter((l) => /warning/i.test(l));
  if (warnings.length > 0) {
    throw new Error(`iverilog warnings in ${o.dir}:\n${warnings.join('\n')}`);
  }
  return { exe: 'vvp', args: ['-n', 'tb.vvp'] };
}

/** Write the testbench and its files into o.dir, compile with Icarus (-g2005; or Verilator) and run it. */
export async function runStreamTb(o: StreamTbOptions): Promise<StreamTbResult> {
  const prng = new Prng(o.seed);
  const vmask = maskWords(prng, o.maxCycles, o.validProb);
  const rmask = maskWords(prng, o.maxCycles, o.readyProb);
  await writeFile(path.join(o.dir, 'vmask.hex'), hexFile(vmask, 32));
  await writeFile(path.join(o.dir, 'rmask.hex'), hexFile(rmask, 32));
  if (o.inBeats.length > 0) await writeFile(path.join(o.dir, 'in.hex'), hexFile(o.inBeats, o.inW));
  if (o.expected.length > 0) await writeFile(path.join(o.dir, 'exp.hex'), hexFile(o.expected, o.outW));
  for (const [name, text] of Object.entries(o.files ?? {})) await writeFile(path.join(o.dir, name), text);
  await writeFile(path.join(o.dir, 'tb.v'), testbenchText(o, vmask.length));

  const cmd = await buildTb(o);
  const sim = await runTool(cmd.exe, cmd.args, { cwd: o.dir, timeoutMs: 120_000 });
  const log = sim.stdout + sim.stderr;
  const m = simResultRe.exec(log);
  if (sim.code !== 0 || !m) {
    throw new Error(`${o.simulator ?? 'icarus'} simulation failed in ${o.dir} (code ${sim.code}):\n${log.slice(-4000)}`);
  }
  const beats: bigint[] = [];
  const outCycles: number[] = [];
  for (const line of log.split('\n')) {
    const om = /^O (\d+) ([0-9a-fA-FxXzZ]+)$/.exec(line.trim());
    if (!om) continue;
    outCycles.push(Number(om[1]));
    const hex = om[2] as string;
    if (/[xXzZ]/.test(hex)) {
      beats.push(-1n); // undefined value: never equal to a model value
    } else {
      beats.push(BigInt(`0x${hex}`));
    }
  }
  const latM = /^LATENCY (\d+)/m.exec(log);
  const result: StreamTbResult = {
    beats,
    outCycles,
    firstIn: Number(m[4]),
    inCount: Number(m[5]),
    cycles: Number(m[3]),
    tbMismatches: Number(m[2]),
    timeout: m[6] === '1',
    log,
  };
  if (latM) result.latency = Number(latM[1]);
  return result;
}

/** Human-readable description of the first few differences between two beat lists. */
export function describeDiff(got: readonly bigint[], exp: readonly bigint[], max = 5): string {
  const lines: string[] = [];
  if (got.length !== exp.length) lines.push(`beat count: got ${got.length}, expected ${exp.length}`);
  for (let i = 0; i < Math.min(got.length, exp.length) && lines.length < max + 1; i++) {
    if (got[i] !== exp[i]) lines.push(`beat ${i}: got ${got[i]?.toString(16)}, expected ${exp[i]?.toString(16)}`);
  }
  return lines.join('\n');
}
