/** `estimate`: per-layer resources of the design a model and folding would generate, fit verdict, FINN's formulas, Pareto chart. */
import { type Command, Option } from 'commander';
import type { FoldOptions } from '../flows/build.js';
import type { Fabric } from '../estimate/devices.js';
import { loadModel } from '../api/model.js';
import { estimateRun } from '../api/estimate.js';
import { foldOptions } from './hw.js';
import { json, out, table } from './output.js';

interface EstimateCliOptions extends FoldOptions {
  json?: boolean;
  model: 'bnn-hw' | 'finn';
  fabric?: Fabric;
  pareto?: string;
}

export function registerEstimate(program: Command): void {
  foldOptions(
    program
      .command('estimate')
      .description('estimate LUT / FF / BRAM / DSP per layer of the design for a model and folding (no synthesis), and whether it fits a device')
      .argument('<model>', 'model.json'),
  )
    .addOption(new Option('--model <m>', 'bnn-hw: calibrated estimate of the generated RTL; finn: also FINN\'s published MVAU formulas side by side').choices(['bnn-hw', 'finn']).default('bnn-hw'))
    .addOption(new Option('--fabric <f>', 'fabric when no --device is given (Xilinx LUT6 / iCE40 LUT4)').choices(['xilinx', 'ice40']))
    .option('--pareto <file>', 'write a frames-per-second vs. LUT chart of the folding space (.svg or .html)')
    .option('--json', 'print {"layers": [{name, lut, ff, bram18, dsp, ...}], "total", "device": {name, fits, binding, utilisation} (null without --device)}')
    .addHelpText(
      'after',
      '\nThe estimate is for Yosys synth_xilinx (LUT6, FF, RAMB18/RAMB36, DSP48) or synth_ice40 (LUT4, DFF, EBR) on the\n' +
        'RTL that `generate` writes, FIFOs and width converters included. Constants: docs/calibration.md.\n\nExamples:\n' +
        '  $ bnn-hw estimate examples/tfc.json --fold examples/folds/tfc-finn.json --device xc7z020\n' +
        '  $ bnn-hw estimate examples/sfc.json --target-fps 500000 --clock-mhz 100 --device xc7z020 --json\n' +
        '  $ bnn-hw estimate examples/tfc.json --max-fps --device xc7z020\n' +
        '  $ bnn-hw estimate examples/tfc.json --model finn --fold examples/folds/tfc-finn.json\n' +
        '  $ bnn-hw estimate examples/tfc.json --pareto tfc-pareto.html --device xc7z020\n',
    )
    .action((file: string, opts: EstimateCliOptions) => {
      const model = loadModel(file);
      const run = estimateRun(model, { ...opts, finn: opts.model === 'finn' }, (w) => {
        if (!opts.json) out(`wrote ${w.file}: ${w.points} foldings, ${w.front} on the Pareto front`);
      });
      const r = run.report;
      if (opts.json) {
        json(r);
        return;
      }
      const { fabric, clockMhz } = r;
      const fps = run.fps;
      const finn = run.finn !== null;
      const mem = fabric === 'xilinx' ? 'BRAM18' : 'EBR';
      const headers = ['layer', 'blocks', 'LUT', 'FF', mem, 'DSP', ...(finn ? ['FINN LUT', 'FINN BRAM18'] : [])];
      const rows = r.layers.map((l) => {
        const f = l.finn;
        return [l.name, l.blocks.map((b) => b.kind).join('+'), l.lut, l.ff, fabric === 'xilinx' ? l.bram18 : l.ebr, l.dsp, ...(finn ? [f ? f.lut : '-', f ? f.bram18 : '-'] : [])];
      });
      rows.push(['total', '', r.total.lut, r.total.ff, fabric === 'xilinx' ? r.total.bram18 : r.total.ebr, r.total.dsp, ...(r.finnTotal ? [r.finnTotal.lut, r.finnTotal.bram18] : [])]);
      out(`${r.model}: ${r.cyclesPerFrame} cycles per frame (${fps >= 1e3 ? Math.round(fps).toLocaleString('en-US') : fps.toFixed(1)} fps at ${clockMhz} MHz); folding (PE,SIMD) ${r.folding.map((f) => `(${f.pe},${f.simd})`).join(' ')}`);
      out(`estimate for Yosys ${fabric === 'xilinx' ? 'synth_xilinx (LUT6)' : 'synth_ice40 (LUT4)'}${finn ? '; FINN: HLS MVAU formulas, MVU layers only' : ''}`);
      out(table(headers, rows, headers.map((_, i) => i >= 2)));
      const verdict = r.device;
      if (verdict) {
        const u = Object.entries(verdict.utilisation).map(([k, v]) => `${k} ${(Number(v) * 100).toFixed(1)}%`).join(', ');
        out(`${verdict.fits ? 'fits' : 'does NOT fit'} ${verdict.name}: ${u}; binding resource ${verdict.binding.resource} (${verdict.binding.used} of ${verdict.binding.capacity}), largest user: layer ${verdict.binding.layer}`);
      }
    });
}
