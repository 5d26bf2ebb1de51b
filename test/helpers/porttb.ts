/**
 * Multi-port unit co-simulation (bnn_dup, bnn_add, ...): a testbench with NI input and NO output
 * streams, each with its own seeded tvalid / tready mask, run in Icarus or Verilator, and the same
 * drive applied to a PortSim (src/blocks/sim-base.ts) so both give every handshake cycle per port.
 * The rules are those of rtlsim.ts / blockdrive.ts per port: a beat once offered stays offered until
 * taken, cycle 0 (the first after reset) offers nothing and no sink is ready, a port whose expected
 * beats are all out is always ready afterwards, and the run ends TAIL cycles after the last output
 * port is done.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Beat, PortSim } from '../../src/blocks/sim-base.js';
import { runTool } from '../../src/flows/tools.js';
import { Prng } from './prng.js';
import { expect } from 'vitest';
import { describeDiff, hexFile, libFile, maskWords } from './rtlsim.js';

export interface PortDrive {
  seed: number;
  /** per input port, probability that the source offers a beat in a cycle */
  validProb: readonly number[];
  /** per output port, probability that the sink is ready in a cycle */
  readyProb: readonly number[];
  maxCycles: number;
  tailCycles?: number;
}

export interface PortRun {
  /** per output port: beats and the cycles they were taken */
  outs: { beats: bigint[]; cycles: number[] }[];
  /** per input port: the cycles its beats were taken */
  ins: number[][];
  timeout: boolean;
}

/** The masks of a drive: inputs' valid masks, then outputs' ready masks, from one Prng(seed). */
export function masks(d: PortDrive): { v: bigint[][]; r: bigint[][] } {
  const prng = new Prng(d.seed);
  const v = d.validProb.map((p) => maskWords(prng, d.maxCycles, p));
  const r = d.readyProb.map((p) => maskWords(prng, d.maxCycles, p));
  return { v, r };
}

export const bit = (words: readonly bigint[], c: number): boolean => (c >= words.length * 32 ? true : ((words[c >>> 5]! >> BigInt(c & 31)) & 1n) === 1n);

/** Drive a cycle model with the testbench's rules; beats are lane arrays, packed by `pack` for the result. */
export function drivePorts(sim: PortSim, inputs: readonly (readonly Beat[])[], nOut: readonly number[], d: PortDrive, pack: (o: number, b: Beat) => bigint): PortRun {
  const { v, r } = masks(d);
  const tail = d.tailCycles ?? 16;
  const ni = inputs.length;
  const no = nOut.length;
  const ip = new Array<number>(ni).fill(0);
  const sv = new Array<boolean>(ni).fill(false);
  const mr = new Array<boolean>(no).fill(false);
  const doneO = new Array<number>(no).fill(-1);
  const outs = nOut.map(() => ({ beats: [] as bigint[], cycles: [] as number[] }));
  const ins = inputs.map(() => [] as number[]);
  let doneAt = -1;
  for (let c = 0; c < d.maxCycles; c++) {
    const sd = sv.map((x, i) => (x ? inputs[i]![ip[i]!]! : null));
    const sr = sv.map((_, i) => sim.sReady(i));
    for (let i = 0; i < ni; i++)
      if (sv[i] && sr[i]) {
        ins[i]!.push(c);
        ip[i]!++;
      }
    for (let o = 0; o < no; o++) {
      if (sim.mValid(o) && mr[o]) {
        outs[o]!.beats.push(pack(o, sim.mData(o)));
        outs[o]!.cycles.push(c);
      }
      if (outs[o]!.beats.length >= nOut[o]! && doneO[o]! < 0) doneO[o] = c;
    }
    sim.step(c, sv, sd, mr);
    if (doneAt < 0 && doneO.every((x) => x >= 0)) doneAt = c;
    if (doneAt >= 0 && c >= doneAt + tail) break;
    for (let i = 0; i < ni; i++) sv[i] = ip[i]! < inputs[i]!.length && ((sv[i]! && !sr[i]!) || bit(v[i]!, c + 1));
    for (let o = 0; o < no; o++) mr[o] = doneO[o]! >= 0 || bit(r[o]!, c + 1);
  }
  return { outs, ins, timeout: doneAt < 0 };
}

export interface PortTbOptions extends PortDrive {
  dir: string;
  /** per input port: width and beats */
  inputs: { width: number; beats: readonly bigint[] }[];
  /** per output port: width and expected beats */
  outputs: { width: number; expected: readonly bigint[] }[];
  /**
   * The DUT instance. Signals: s<i>_tdata / s<i>_tvalid (regs), s<i>_tready (wire) per input port,
   * m<o>_tdata / m<o>_tvalid (wires), m<o>_tready (reg) per output port, clk, rst_n.
   */
  dut: string;
  libModules: readonly string[];
  simulator?: 'icarus' | 'verilator';
  latencyParam?: string;
}

export interface PortTbResult extends PortRun {
  tbMismatches: number;
  latency?: number;
  log: string;
}

function testbench(o: PortTbOptions, nmw: number): string {
  const I = o.inputs.map((_, i) => i);
  const O = o.outputs.map((_, k) => k);
  const decl = [
    ...o.inputs.map((s, i) => `    reg [${s.width - 1}:0] in${i} [0:${Math.max(1, s.beats.length) - 1}];\n    reg [31:0] vm${i} [0:NMW-1];\n    reg [${s.width - 1}:0] s${i}_tdata;\n    reg s${i}_tvalid;\n    wire s${i}_tready;\n    integer ip${i};`),
    ...o.outputs.map((s, k) => `    reg [${s.width - 1}:0] ex${k} [0:${Math.max(1, s.expected.length) - 1}];\n    reg [31:0] rm${k} [0:NMW-1];\n    wire [${s.width - 1}:0] m${k}_tdata;\n    wire m${k}_tvalid;\n    reg m${k}_tready;\n    integer op${k}, dn${k};`),
  ].join('\n');
  const init = [
    ...I.map((i) => `        ${o.inputs[i]!.beats.length ? `$readmemh("in${i}.hex", in${i}); ` : ''}$readmemh("vm${i}.hex", vm${i}); s${i}_tvalid = 1'b0; s${i}_tdata = 0; ip${i} = 0;`),
    ...O.map((k) => `        ${o.outputs[k]!.expected.length ? `$readmemh("ex${k}.hex", ex${k}); ` : ''}$readmemh("rm${k}.hex", rm${k}); m${k}_tready = 1'b0; op${k} = 0; dn${k} = -1;`),
  ].join('\n');
  const sample = [
    ...I.map((i) => `            if (s${i}_tvalid && s${i}_tready) begin $display("I${i} %0d", cyc); ip${i} = ip${i} + 1; end`),
    ...O.map(
      (k) => `            if (m${k}_tvalid && m${k}_tready) begin
                $display("O${k} %0d %h", cyc, m${k}_tdata);
                if (op${k} >= ${o.outputs[k]!.expected.length} || m${k}_tdata !== ex${k}[op${k}]) mism = mism + 1;
                op${k} = op${k} + 1;
            end
            if (op${k} >= ${o.outputs[k]!.expected.length} && dn${k} < 0) dn${k} = cyc;`,
    ),
  ].join('\n');
  const allDone = O.map((k) => `dn${k} >= 0`).join(' && ');
  const drive = [
    ...I.map((i) => `            hold = s${i}_tvalid && !s${i}_tready;
            s${i}_tvalid <= (ip${i} < ${o.inputs[i]!.beats.length}) && (hold || ((cyc >= NMW * 32) ? 1'b1 : vm${i}[cyc / 32][cyc % 32]));
            if (ip${i} < ${o.inputs[i]!.beats.length}) s${i}_tdata <= in${i}[ip${i}];`),
    ...O.map((k) => `            m${k}_tready <= (cyc >= NMW * 32 || dn${k} >= 0) ? 1'b1 : rm${k}[cyc / 32][cyc % 32];`),
  ].join('\n');
  const lat = o.latencyParam ? `        $display("LATENCY %0d", ${o.latencyParam});\n` : '';
  return `\`timescale 1ns/1ps
\`default_nettype none
module tb;
    localparam NMW = ${nmw};
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg rst_n = 1'b0;
${decl}
${o.dut}
    integer cyc, mism, done_at;
    reg hold;
    initial begin
${lat}${init}
        cyc = 0; mism = 0; done_at = -1;
        repeat (4) @(posedge clk);
        rst_n <= 1'b1;
    end
    always @(posedge clk) begin
        if (rst_n) begin
${sample}
            if (done_at < 0 && ${allDone}) done_at = cyc;
            if ((done_at >= 0 && cyc >= done_at + ${o.tailCycles ?? 16}) || cyc >= ${o.maxCycles - 1}) begin
                $display("RESULT mismatches=%0d timeout=%0d", mism, (done_at < 0) ? 1 : 0);
                $finish;
            end
            cyc = cyc + 1;
${drive}
        end
    end
endmodule
\`default_nettype wire
`;
}

/** Write, compile (Icarus -g2005 -Wall, warnings fail; or Verilator --binary) and run the testbench. */
export async function runPortTb(o: PortTbOptions): Promise<PortTbResult> {
  const { v, r } = masks(o);
  const w = (n: string, t: string) => writeFile(path.join(o.dir, n), t);
  await Promise.all([
    ...v.map((m, i) => w(`vm${i}.hex`, hexFile(m, 32))),
    ...r.map((m, k) => w(`rm${k}.hex`, hexFile(m, 32))),
    ...o.inputs.flatMap((s, i) => (s.beats.length ? [w(`in${i}.hex`, hexFile(s.beats, s.width))] : [])),
    ...o.outputs.flatMap((s, k) => (s.expected.length ? [w(`ex${k}.hex`, hexFile(s.expected, s.width))] : [])),
    w('tb.v', testbench(o, v[0]?.length ?? r[0]!.length)),
  ]);
  const sources = ['tb.v', ...o.libModules.map(libFile)];
  let exe: string;
  let args: string[];
  if (o.simulator === 'verilator') {
    const comp = await runTool('verilator', ['--binary', '--timing', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--top-module', 'tb', '--Mdir', 'obj_dir', '-o', 'Vtb', ...sources], { cwd: o.dir, timeoutMs: 600_000 });
    if (comp.code !== 0) throw new Error(`verilator failed in ${o.dir}:\n${comp.stdout}\n${comp.stderr}`);
    [exe, args] = [path.join(o.dir, 'obj_dir', 'Vtb'), []];
  } else {
    const comp = await runTool('iverilog', ['-g2005', '-Wall', '-o', 'tb.vvp', '-s', 'tb', ...sources], { cwd: o.dir, timeoutMs: 60_000 });
    const warnings = (comp.stdout + comp.stderr).split('\n').filter((l) => /warning/i.test(l));
    if (comp.code !== 0 || warnings.length) throw new Error(`iverilog failed in ${o.dir}:\n${comp.stdout}\n${comp.stderr}`);
    [exe, args] = ['vvp', ['-n', 'tb.vvp']];
  }
  const sim = await runTool(exe, args, { cwd: o.dir, timeoutMs: 120_000 });
  const log = sim.stdout + sim.stderr;
  const m = /^RESULT mismatches=(\d+) timeout=(\d)/m.exec(log);
  if (sim.code !== 0 || !m) throw new Error(`simulation failed in ${o.dir}:\n${log.slice(-3000)}`);
  const outs = o.outputs.map(() => ({ beats: [] as bigint[], cycles: [] as number[] }));
  const ins = o.inputs.map(() => [] as number[]);
  for (const line of log.split('\n')) {
    const om = /^O(\d+) (\d+) ([0-9a-fA-FxXzZ]+)$/.exec(line.trim());
    if (om) {
      const out = outs[Number(om[1])]!;
      out.cycles.push(Number(om[2]));
      out.beats.push(/[xXzZ]/.test(om[3]!) ? -1n : BigInt(`0x${om[3]}`));
    }
    const im = /^I(\d+) (\d+)$/.exec(line.trim());
    if (im) ins[Number(im[1])]!.push(Number(im[2]));
  }
  const latM = /^LATENCY (\d+)/m.exec(log);
  const res: PortTbResult = { outs, ins, timeout: m[2] === '1', tbMismatches: Number(m[1]), log };
  if (latM) res.latency = Number(latM[1]);
  return res;
}

/**
 * The checks of one single-output multi-port co-simulation: no timeout, the testbench's own checks,
 * the RTL's and the cycle model's beats equal to the independently computed ones, the same output and
 * input handshake cycles, and (when given) the measured latency.
 */
export function expectPortRun(run: { res: PortTbResult; ts: PortRun; expected: bigint[]; dir: string }, latency?: number): void {
  const { res, ts, expected, dir } = run;
  expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
  if (latency !== undefined) expect(res.latency).toBe(latency);
  expect(describeDiff(res.outs[0]!.beats, expected), `dir ${dir}`).toBe('');
  expect(res.tbMismatches).toBe(0);
  expect(describeDiff(ts.outs[0]!.beats, expected)).toBe('');
  expect(ts.outs[0]!.cycles).toEqual(res.outs[0]!.cycles);
  expect(ts.ins).toEqual(res.ins);
}
