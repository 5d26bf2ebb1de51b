/**
 * The descriptors of the graph blocks (src/blocks/port-registry.ts) agree with their Verilog modules:
 * an instance built only from a descriptor's `params`, `inputs` and `outputs` (what the graph emitter
 * will do) compiles in Icarus with -Wall and no warning (a port width that differs from the module's
 * is a warning), and drives the cycle model. And asPortSim: a single-port BlockSim driven through the
 * multi-port interface behaves exactly as driven directly.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { PORT_REGISTRY, portBlockSim, portKindOf } from '../../src/blocks/port-registry.js';
import type { StreamPort } from '../../src/blocks/port-kind.js';
import type { PortBlock } from '../../src/blocks/port-types.js';
import { asPortSim, FifoSim } from '../../src/blocks/sim-base.js';
import { libFile, makeTmpDir, removeDir, withDeps } from '../helpers/rtlsim.js';
import { driveBlock } from '../helpers/blockdrive.js';
import { drivePorts } from '../helpers/porttb.js';
import { requireTools } from '../helpers/tools.js';

const SAMPLES: PortBlock[] = [
  { kind: 'dup', name: 'd', width: 5, n: 3 },
  { kind: 'add', name: 'a', params: { PE: 3, A_W: 2, A_SIGNED: 0, B_W: 4, B_SIGNED: 1, SHIFT: 3 } },
  { kind: 'gap', name: 'g', params: { PE: 2, C: 6, HW: 9, IN_W: 3, IN_SIGNED: 1 } },
];

/** the instance's connections of one side: a wire per stream, vector ports concatenated by index */
function connect(ports: StreamPort[], side: 'i' | 'o', wires: string[]): string[] {
  const byPrefix = new Map<string, { p: StreamPort; n: number }[]>();
  ports.forEach((p, n) => {
    wires.push(`    wire [${p.width - 1}:0] ${side}${n}_tdata;`, `    wire ${side}${n}_tvalid;`, `    wire ${side}${n}_tready;`);
    byPrefix.set(p.prefix, [...(byPrefix.get(p.prefix) ?? []), { p, n }]);
  });
  const out: string[] = [];
  for (const [prefix, list] of byPrefix) {
    const sorted = [...list].sort((a, b) => (b.p.index ?? 0) - (a.p.index ?? 0));
    for (const sig of ['tdata', 'tvalid', 'tready']) out.push(`.${prefix}_${sig}({${sorted.map(({ n }) => `${side}${n}_${sig}`).join(', ')}})`);
  }
  return out;
}

const has = requireTools('iverilog');

describe('graph-block descriptors', () => {
  it('every kind is registered under its own name', () => {
    for (const [k, d] of Object.entries(PORT_REGISTRY)) expect(d.kind).toBe(k);
    expect(SAMPLES.map((b) => b.kind).sort()).toEqual(Object.keys(PORT_REGISTRY).sort());
  });

  it.skipIf(!has).each(SAMPLES.map((b) => [b.kind, b] as const))('bnn_%s: an instance from the descriptor compiles without warnings', async (_k, b) => {
    const d = portKindOf(b);
    const wires: string[] = [];
    const conns = [...connect(d.inputs(b), 'i', wires), ...connect(d.outputs(b), 'o', wires)];
    const text = `\`timescale 1ns/1ps
\`default_nettype none
module top (input wire clk, input wire rst_n);
${wires.join('\n')}
    bnn_${b.kind} #(${d.params(b).map((p) => `.${p.name}(${p.value})`).join(', ')}) u (
        .clk(clk), .rst_n(rst_n), ${conns.join(', ')});
endmodule
\`default_nettype wire
`;
    const dir = await makeTmpDir('port-kind');
    await writeFile(path.join(dir, 'top.v'), text);
    const r = await runTool('iverilog', ['-g2005', '-Wall', '-o', 'top.vvp', '-s', 'top', 'top.v', ...withDeps(`bnn_${b.kind}`).map(libFile)], { cwd: dir, timeoutMs: 60_000 });
    const out = (r.stdout + r.stderr).split('\n').filter((l) => /warning|error/i.test(l) && !/top\.v.*(not driven|undriven)/i.test(l));
    expect(r.code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toBe('');
    await removeDir(dir);
    // the cycle model has the descriptor's ports
    const sim = portBlockSim(b);
    expect([sim.inPorts, sim.outPorts]).toEqual([d.inputs(b).length, d.outputs(b).length]);
  });

  it('asPortSim: a FIFO driven through the multi-port interface gives the same handshakes as driven directly', () => {
    const beats = Array.from({ length: 40 }, (_, i) => [i]);
    const drive = { seed: 11, validProb: 0.6, readyProb: 0.5, maxCycles: 600 };
    const direct = driveBlock(new FifoSim('f', 3), beats, 40, drive);
    const ported = drivePorts(asPortSim(new FifoSim('f', 3)), [beats], [40], { seed: 11, validProb: [0.6], readyProb: [0.5], maxCycles: 600 }, (_o, b) => BigInt(b[0]!));
    expect(ported.outs[0]!.cycles).toEqual(direct.outCycles);
    expect(ported.ins[0]).toEqual(direct.inCycles);
    expect(ported.outs[0]!.beats).toEqual(direct.beats.map((b) => BigInt(b[0]!)));
  });
});
