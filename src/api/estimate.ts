/** Resources of a model's design per layer, the fit on a device, FINN's formulas, the Pareto chart (`bnn-hw estimate`). */
import { compileFront } from '../passes/pipeline.js';
import { type HwPlan, plan as planHw } from '../passes/plan.js';
import { sizeFifos } from '../sim/fifo-sizing.js';
import { chooseFolding, type FoldOptions } from '../flows/build.js';
import { findDevice, type Device, type Fabric } from '../estimate/devices.js';
import { estimatePlan, fitVerdict, type FitVerdict, type PlanEstimate } from '../estimate/estimate.js';
import { estimateGraphPlan } from '../estimate/graph.js';
import { planGraphDesign } from '../flows/graph-build.js';
import { firstGraphLayer } from '../ir/graph.js';
import type { Resources } from '../estimate/resources.js';
import { finnEstimate, finnRamStyles, finnRamStylesOf, type FinnLayerEstimate } from '../estimate/finn.js';
import { paretoSweep } from '../estimate/search.js';
import { paretoHtml, paretoSvg } from '../estimate/pareto.js';
import { fail } from '../diagnostics/diagnostic.js';
import { checkFileOutput, writeFileOutput } from '../util/output-file.js';
import { type ModelSource, loadModel } from './model.js';
import { flag, optionalOneOf, optionsObject, text, withDiagnostics } from './options.js';
import { foldOptionsOf } from './plan.js';

export type { Fabric } from '../estimate/devices.js';

export interface EstimateOptions extends FoldOptions {
  /** fabric when no device is given: 'xilinx' (LUT6, default) or 'ice40' (LUT4) */
  fabric?: Fabric;
  /** also FINN's published MVAU formulas side by side (the CLI's --model finn) */
  finn?: boolean;
  /** write a frames-per-second vs. LUT chart of the folding space to this .svg or .html file */
  pareto?: string;
}

const FABRICS: readonly Fabric[] = ['xilinx', 'ice40'];

type Counts = Pick<Resources, 'lut' | 'ff' | 'bram18' | 'ebr' | 'dsp'>;

/** What `estimate --json` prints. */
export interface EstimateReport {
  model: string;
  fabric: Fabric;
  cyclesPerFrame: number;
  clockMhz: number;
  fps: number;
  folding: HwPlan['folding']['layers'];
  layers: (Counts & { name: string; bram36: number; lutram: number; blocks: (Counts & { name: string; kind: string })[]; finn?: { lut: number; bram18: number } })[];
  total: Resources & { bram36: number };
  finnTotal?: { lut: number; bram18: number; note: string };
  device: Pick<FitVerdict, 'name' | 'fits' | 'binding' | 'utilisation'> | null;
}

export interface EstimateRun {
  report: EstimateReport;
  /** frames per second, not rounded */
  fps: number;
  finn: FinnLayerEstimate[] | null;
  /** points of the Pareto chart and how many are on the front (when a chart was written) */
  pareto: { points: number; front: number } | null;
}

/** The report and what the CLI's text adds to it. */
export function estimateRun(model: ModelSource, options?: EstimateOptions, onPareto?: (written: { file: string; points: number; front: number }) => void): EstimateRun {
  return withDiagnostics(() => {
    const m = loadModel(model);
    const o = optionsObject(options);
    const fold = foldOptionsOf(o);
    const fabricOption = optionalOneOf('fabric', o.fabric, FABRICS);
    const withFinn = flag('finn', o.finn) === true;
    const paretoFile = text('pareto', o.pareto);
    if (paretoFile !== undefined) checkFileOutput(paretoFile);
    const device: Device | null = fold.device ? findDevice(fold.device) : null;
    const fabric: Fabric = device?.fabric ?? fabricOption ?? 'xilinx';
    if (device && fabricOption && fabricOption !== device.fabric) fail('BNN084', '', `--fabric ${fabricOption} does not match --device ${device.name} (${device.fabric})`);
    const clockMhz = fold.clockMhz ?? 100;
    if (firstGraphLayer(m)) {
      if (withFinn || paretoFile !== undefined) fail('BNN045', '', `${withFinn ? '--model finn' : '--pareto'} is not available for residual graphs yet`, 'estimate the graph without it');
      const { plan: gp } = planGraphDesign(m, fold);
      return reportOf(m.name, fabric, clockMhz, gp.cyclesPerFrame, gp.folding.layers, estimateGraphPlan(gp, { fabric }), device, null);
    }
    const { ir } = compileFront(m);
    const folding = chooseFolding(ir, fold);
    let p = planHw(ir, folding);
    if (fold.sizeFifos ?? true) p = sizeFifos(p).plan;
    const est = estimatePlan(p, { fabric });
    const ramStyles = typeof fold.fold === 'string' || fold.fold === undefined ? finnRamStyles(fold.fold) : finnRamStylesOf(fold.fold);
    const finn = withFinn ? finnEstimate(p, ramStyles) : null;
    // the chart last: every input (the folding file too) is read and checked before anything is written
    let pareto: EstimateRun['pareto'] = null;
    if (paretoFile !== undefined) {
      const pts = paretoSweep(ir, fabric, clockMhz, device);
      const info = { model: m.name, fabric, clockMhz, device: device ? { name: device.name, lut: device.lut } : null };
      writeFileOutput(paretoFile, paretoFile.endsWith('.svg') ? paretoSvg(pts, info) : paretoHtml(pts, info));
      pareto = { points: pts.length, front: pts.filter((p) => p.pareto).length };
      onPareto?.({ file: paretoFile, ...pareto });
    }
    return reportOf(m.name, fabric, clockMhz, p.cyclesPerFrame, p.folding.layers, est, device, finn, pareto);
  });
}

function reportOf(model: string, fabric: Fabric, clockMhz: number, cyclesPerFrame: number, folding: EstimateReport['folding'], est: PlanEstimate, device: Device | null, finn: FinnLayerEstimate[] | null, pareto: EstimateRun['pareto'] = null): EstimateRun {
  const verdict = device ? fitVerdict(est, device) : null;
  const finnTotal = finn ? { lut: finn.reduce((a, f) => a + f.lut, 0), bram18: finn.reduce((a, f) => a + f.bram18, 0) } : null;
  const fps = (clockMhz * 1e6) / cyclesPerFrame;
  const report: EstimateReport = {
    model, fabric, cyclesPerFrame, clockMhz, fps: Math.round(fps * 10) / 10,
    folding,
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
  };
  return { report, fps, finn, pareto };
}

/** `bnn-hw estimate --json`: LUT / FF / BRAM / DSP per layer and block of the design, the total, and the fit on `device`. */
export function estimate(model: ModelSource, options?: EstimateOptions): EstimateReport {
  return estimateRun(model, options).report;
}
