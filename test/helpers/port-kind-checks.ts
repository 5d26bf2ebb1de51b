/**
 * A graph block's descriptor (src/blocks/port-registry.ts) agrees with its Verilog module (registered
 * through libraryChecks' `portSample`, test/helpers/lib-checks.ts): an instance built only from the
 * descriptor's `params`, `inputs` and `outputs` (what the graph emitter does) compiles in Icarus with
 * -Wall and no warning (a port width that differs from the module's is a warning), and the cycle model
 * has the descriptor's ports.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { portBlockSim, portKindOf } from '../../src/blocks/port-registry.js';
import type { StreamPort } from '../../src/blocks/port-kind.js';
import type { PortBlock } from '../../src/blocks/port-types.js';
import { libFile, makeTmpDir, removeDir, withDeps } from './rtlsim.js';
import { requireTools } from './tools.js';

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

export function portKindChecks(b: PortBlock): void {
  it.skipIf(!requireTools('iverilog'))(`graph-block descriptors: bnn_${b.kind}: an instance from the descriptor compiles without warnings`, async () => {
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
}
