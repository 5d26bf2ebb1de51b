/** `estimate`: per-layer resources of the design a model and folding would generate, fit verdict, FINN's formulas, Pareto chart. */
import { type Command, Option } from 'commander';
import { loadModelFile } from '../frontend/load.js';
import { compileFront } from '../passes/pipeline.js';
import { plan } from '../passes/plan.js';
import { sizeFifos } from '../sim/fifo-sizing.js';
import { chooseFolding, type FoldOptions } from '../flows/build.js';
import { findDevice, type Device, type Fabric } from '../estimate/devices.js';
import { estimatePlan, fitVerdict } from '../estimate/estimate.js';
import { finnEstimate, finnRamStyles } from '../estimate/finn.js';
import { paretoSweep } from '../estimate/search.js';
import { paretoHtml, paretoSvg } from '../estimate/pareto.js';
import { fail } from '../diagnostics/diagnostic.js';
import { checkFileOutput, writeFileOutput } from '../util/output-file.js';
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
      const model = loadModelFile(file);
      if (opts.pareto !== undefined) checkFileOutput(opts.pareto);
      const device: Device | null = opts.device ? findDevice(opts.device) : null;
      const fabric: Fabric = device?.fabric ?? opts.fabric ?? 'xilinx';
      if (device && opts.fabric && opts.fabric !== device.fabric) fail('BNN084', '', `--fabric ${opts.fabric} does not match --device ${device.name} (${device.fabric})`);
      const { ir } = compileFront(model);
      const clockMhz = opts.clockMhz ?? 100;
      if (opts.pareto !== undefined) {
        const pts = paretoSweep(ir, fabric, clockMhz, device);
        const info = { model: model.name, fabric, clockMhz, device: device ? { name: device.name, lut: device.lut } : null };
        writeFileOutput(opts.pareto, opts.pareto.endsWith('.svg') ? paretoSvg(pts, info) : paretoHtml(pts, info));
        if (!opts.json) out(`wrote ${opts.pareto}: ${pts.length} foldings, ${pts.filter((p) => p.pareto).length} on the Pareto front`);
      }
      const folding = chooseFolding(ir, opts);
      let p = plan(ir, folding);
      if (opts.sizeFifos ?? true) p = sizeFifos(p).plan;
      const est = estimatePlan(p, { fabric });
      const verdict = device ? fitVerdict(est, device) : null;
      const finn = opts.model === 'finn' ? finnEstimate(p, finnRamStyles(opts.fold)) : null;
      const finnTotal = finn ? { lut: finn.reduce((a, f) => a + f.lut, 0), bram18: finn.reduce((a, f) => a + f.bram18, 0) } : null;
      const fps = (clockMhz * 1e6) / p.cyclesPerFrame;
      if (opts.json) {
        json({
          model: model.name, fabric, cyclesPerFrame: p.cyclesPerFrame, clockMhz, fps: Math.round(fps * 10) / 10,
          folding: p.folding.layers,
          layers: est.layers.map((l) => {
            const f = finn?.find((x) => x.name === l.name);
            return {
              name: l.name, lut: l.lut, ff: l.ff, bram18: l.bram18, bram36: l.bram18 / 2, ebr: l.ebr, dsp: l.dsp, lutram: l.lutram,
              blocks: l.blocks.map((b) => ({ name: b.name, kind: b.kind, lut: b.lut, ff: b.ff, bram18: b.bram18, ebr: b.ebr, dsp: b.dsp })),
              ...(f ? { finn: { lut: f.lut, bram18: f.bram18 } } : {}),
            };
          }),
          total: { ...est.total, bram36: est.total.bram18 / 2 },
          ...(finnTotal ? { finnTotal: { ...finnTotal, note: 'MVAU layers only (FINN leaves FIFOs, width converters, thresholding, sliding windows, pooling and label select out)' } } : {}),
          device: verdict ? { name: verdict.name, fits: verdict.fits, binding: verdict.binding, utilisation: verdict.utilisation } : null,
        });
        return;
      }
      const mem = fabric === 'xilinx' ? 'BRAM18' : 'EBR';
      const headers = ['layer', 'blocks', 'LUT', 'FF', mem, 'DSP', ...(finn ? ['FINN LUT', 'FINN BRAM18'] : [])];
      const rows = est.layers.map((l) => {
        const f = finn?.find((x) => x.name === l.name);
        return [l.name, l.blocks.map((b) => b.kind).join('+'), l.lut, l.ff, fabric === 'xilinx' ? l.bram18 : l.ebr, l.dsp, ...(finn ? [f ? f.lut : '-', f ? f.bram18 : '-'] : [])];
      });
      rows.push(['total', '', est.total.lut, est.total.ff, fabric === 'xilinx' ? est.total.bram18 : est.total.ebr, est.total.dsp, ...(finnTotal ? [finnTotal.lut, finnTotal.bram18] : [])]);
      out(`${model.name}: ${p.cyclesPerFrame} cycles per frame (${fps >= 1e3 ? Math.round(fps).toLocaleString('en-US') : fps.toFixed(1)} fps at ${clockMhz} MHz); folding (PE,SIMD) ${p.folding.layers.map((f) => `(${f.pe},${f.simd})`).join(' ')}`);
      out(`estimate for Yosys ${fabric === 'xilinx' ? 'synth_xilinx (LUT6)' : 'synth_ice40 (LUT4)'}${finn ? '; FINN: HLS MVAU formulas, MVU layers only' : ''}`);
      out(table(headers, rows, headers.map((_, i) => i >= 2)));
      if (verdict) {
        const u = Object.entries(verdict.utilisation).map(([k, v]) => `${k} ${(Number(v) * 100).toFixed(1)}%`).join(', ');
        out(`${verdict.fits ? 'fits' : 'does NOT fit'} ${verdict.name}: ${u}; binding resource ${verdict.binding.resource} (${verdict.binding.used} of ${verdict.binding.capacity}), largest user: layer ${verdict.binding.layer}`);
      }
    });
}
