/**
 * The provisional estimates of the graph blocks (bnn_dup, bnn_add, bnn_gap: port-kind.ts features x
 * provisional constants, nested FIFOs at their calibrated constants) against Yosys 0.23 synthesis of
 * the module with the descriptor's own parameters (synth_xilinx -flatten / synth_ice40): LUT within
 * 25 % (the calibration's worst-case target), FF within 10 %, block RAM / EBR exact. Sets other than
 * the ones the constants were fitted to (docs/rtl-blocks.md, "Graph blocks: measured resources").
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { countCells, parseStatJson } from '../../src/flows/synth.js';
import { estimatePortBlock } from '../../src/estimate/resources.js';
import { portKindOf } from '../../src/blocks/port-registry.js';
import type { PortBlock } from '../../src/blocks/port-types.js';
import { libFile, makeTmpDir, removeDir, withDeps } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

const BLOCKS: PortBlock[] = [
  { kind: 'dup', name: 'd', width: 16, n: 3 },
  { kind: 'dup', name: 'd', width: 48, n: 2 },
  { kind: 'add', name: 'a', params: { PE: 8, A_W: 3, A_SIGNED: 1, B_W: 2, B_SIGNED: 0, SHIFT: 2 } },
  { kind: 'add', name: 'a', params: { PE: 2, A_W: 8, A_SIGNED: 0, B_W: 8, B_SIGNED: 0, SHIFT: 0 } },
  { kind: 'gap', name: 'g', params: { PE: 8, C: 128, HW: 64, IN_W: 2, IN_SIGNED: 0 } },
  { kind: 'gap', name: 'g', params: { PE: 4, C: 4, HW: 49, IN_W: 3, IN_SIGNED: 1 } },
];

const has = requireTools('yosys');

describe.skipIf(!has)('graph-block estimates against Yosys', () => {
  for (const b of BLOCKS)
    for (const fabric of ['xilinx', 'ice40'] as const) {
      const params = portKindOf(b).params(b);
      it(`${fabric} bnn_${b.kind} ${params.map((p) => `${p.name}=${p.value}`).join(' ')}`, async () => {
        const top = `bnn_${b.kind}`;
        const dir = await makeTmpDir('port-est');
        const synth = fabric === 'xilinx' ? `synth_xilinx -noiopad -flatten -top ${top}` : `synth_ice40 -top ${top}`;
        const script = [`read_verilog ${withDeps(top).map(libFile).join(' ')}`, `chparam ${params.map((p) => `-set ${p.name} ${p.value}`).join(' ')} ${top}`, synth, 'tee -q -o stat.json stat -json'];
        await writeFile(path.join(dir, 's.ys'), script.join('\n') + '\n');
        const r = await runTool('yosys', ['-q', '-s', 's.ys'], { cwd: dir, timeoutMs: 300_000 });
        expect(r.code, r.stderr).toBe(0);
        const stat = parseStatJson(await readFile(path.join(dir, 'stat.json'), 'utf8'));
        const m = countCells(fabric, Object.values(stat.modules)[0]!.num_cells_by_type ?? {});
        const e = estimatePortBlock(b, { fabric });
        const msg = `measured ${JSON.stringify(m)}, estimated ${JSON.stringify(e)}`;
        expect(Math.abs(e.lut - m.lut), msg).toBeLessThanOrEqual(0.25 * m.lut + 4);
        expect(Math.abs(e.ff - m.ff), msg).toBeLessThanOrEqual(0.1 * m.ff + 4);
        expect(e.bram18, msg).toBe(m.bram18);
        expect(e.ebr, msg).toBe(m.ebr);
        await removeDir(dir);
      }, 300_000);
    }
});
