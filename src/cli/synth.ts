/** `synth`: run Yosys (and nextpnr-ice40 / icepack) on a generated design and compare with the estimate. */
import { type Command, Option } from 'commander';
import { relative } from 'node:path';
import { runSynth, type Arch, type SynthReport } from '../flows/synth.js';
import { positiveNumber } from './hw.js';
import { json, out, progress, table } from './output.js';

interface SynthCliOptions {
  arch: Arch;
  json?: boolean;
  pnr?: boolean;
  device?: string;
  clockMhz?: number;
  lutDepth?: boolean;
  output?: string;
  force?: boolean;
}

const pctText = (v: number | undefined) => (v === undefined ? '' : `${v > 0 ? '+' : ''}${v.toFixed(1)}%`);

export function printSynthReport(r: SynthReport, lutDepth: boolean): void {
  // cell names per flow: LUT6 / LUT4 / LUT4 / simple gates; RAMB18 units / SB_RAM40_4K / DP16KD
  const mem = { xilinx: 'BRAM18', ice40: 'EBR', ecp5: 'DP16KD', generic: 'mem' }[r.arch];
  const lut = r.arch === 'generic' ? 'gates' : 'LUT';
  const memOf = (c: { bram18: number; ebr: number }) => (r.arch === 'ice40' ? c.ebr : c.bram18);
  const headers = ['layer', lut, 'est', 'err', 'FF', 'est', 'err', mem, 'est', 'carry', ...(lutDepth ? ['LUT depth'] : [])];
  const rows: (string | number)[][] = r.layers.map((l) => [
    l.name, l.measured.lut, l.estimate?.lut ?? '', pctText(l.lutErrorPct), l.measured.ff, l.estimate?.ff ?? '', pctText(l.ffErrorPct),
    memOf(l.measured), l.estimate ? memOf(l.estimate) : '', l.measured.carry, ...(lutDepth ? [l.lutDepth ?? ''] : []),
  ]);
  rows.push(['total', r.total.lut, r.estimateTotal?.lut ?? '', pctText(r.lutErrorPct), r.total.ff, r.estimateTotal?.ff ?? '', '', memOf(r.total), r.estimateTotal ? memOf(r.estimateTotal) : '', r.total.carry, ...(lutDepth ? [Math.max(...r.layers.map((l) => l.lutDepth ?? 0))] : [])]);
  out(`${r.design}: ${r.yosys}, ${r.arch}, ${r.seconds} s`);
  out(table(headers, rows, headers.map((_, i) => i > 0)));
  if (r.pnr) {
    const u = Object.entries(r.pnr.utilisation).filter(([, v]) => v.used > 0).map(([k, v]) => `${k} ${v.used}/${v.available}`).join(', ');
    out(`nextpnr-ice40 ${r.pnr.device}: Fmax ${r.pnr.fmaxMhz} MHz (constraint ${r.pnr.constraintMhz} MHz), ${u}; bitstream ${relative(process.cwd(), r.pnr.bitstream) || r.pnr.bitstream} (${r.pnr.seconds} s)`);
  }
}

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesise a generated design with Yosys and report measured cells per layer next to the estimate')
    .argument('<dir>', 'design folder written by `bnn-hw generate`')
    .addOption(new Option('--arch <arch>', 'Yosys flow: synth_xilinx, synth_ice40, synth_ecp5 or generic synth').choices(['xilinx', 'ice40', 'ecp5', 'generic']).default('xilinx'))
    .option('--pnr', 'ice40: also place and route with nextpnr-ice40 (achieved Fmax, utilisation) and pack a bitstream with icepack')
    .option('--device <name>', 'iCE40 device for --pnr: ice40hx8k (default) or ice40up5k')
    .option('--clock-mhz <f>', 'clock constraint for --pnr (default 50)', positiveNumber('--clock-mhz'))
    .option('--lut-depth', 'also report the longest register-to-register path of each layer in LUTs')
    .option('-o, --output <dir>', 'work folder (default <dir>/build/synth-<arch>): new, empty or written by synth before')
    .option('--force', 'use the work folder even when it is not empty and was not written by synth (its contents are deleted)')
    .option('--json', 'print the report as JSON: {"layers": [{name, lut, ff, bram18, ebr, dsp, measured, estimate, lutErrorPct, ...}], "total", "pnr"}')
    .addHelpText(
      'after',
      '\nEach layer wrapper keeps its hierarchy, so cells are counted per layer; the estimate comes from the design\'s\n' +
        'flows/estimate.json (written by generate). Error = (estimate - measured) / measured.\n\nExamples:\n' +
        '  $ bnn-hw generate examples/tfc.json --fold examples/folds/tfc-ones.json -o build/tfc-small && bnn-hw synth build/tfc-small --arch xilinx\n' +
        '  $ bnn-hw synth build/tfc-small --arch ice40 --pnr --device ice40hx8k --clock-mhz 40\n',
    )
    .action(async (dir: string, opts: SynthCliOptions) => {
      const r = await runSynth(dir, {
        arch: opts.arch, pnr: !!opts.pnr, lutDepth: !!opts.lutDepth,
        ...(opts.device ? { device: opts.device } : {}), ...(opts.clockMhz ? { clockMhz: opts.clockMhz } : {}),
        ...(opts.output !== undefined ? { outDir: opts.output } : {}), force: !!opts.force, progress: progress(!opts.json),
      });
      // per layer the measured counts also at the top level, in the shape of `estimate --json`
      if (opts.json) json({ ...r, layers: r.layers.map(({ name, ...l }) => ({ name, lut: l.measured.lut, ff: l.measured.ff, bram18: l.measured.bram18, ebr: l.measured.ebr, dsp: l.measured.dsp, ...l })) });
      else printSynthReport(r, !!opts.lutDepth);
    });
}
