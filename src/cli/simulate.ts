/**
 * `simulate`: run the cycle-accurate TypeScript simulator on a model's planned design: outputs per
 * frame, the cycle of every output handshake, steady-state cycles per frame, latency, per-layer busy /
 * stall / starve percentages and the bottleneck layer; optionally a VCD of the stream signals.
 */
import type { Command } from 'commander';
import type { Model } from '../ir/model.js';
import { loadModelFile } from '../frontend/load.js';
import { readInputs, type Layout } from '../frontend/inputs.js';
import { Option } from 'commander';
import { buildDesign, type FoldOptions } from '../flows/build.js';
import { expectedOutputs, seededCodes } from '../flows/verify.js';
import { inputBeats, outputBeats } from '../flows/stimulus.js';
import { stallPatterns } from '../sim/patterns.js';
import { kindOf } from '../blocks/registry.js';
import type { HwBlock } from '../blocks/types.js';
import type { HwPlan } from '../passes/plan.js';
import { fail } from '../diagnostics/diagnostic.js';
import { simulate, type SimResult } from '../sim/engine.js';
import { beatValue } from '../sim/streams.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';
import { VcdWriter } from '../sim/vcd.js';
import { checkFileOutput } from '../util/output-file.js';
import { foldOptions, intArg, probability } from './hw.js';
import { json, out, table } from './output.js';

export interface SimulateOptions extends FoldOptions {
  inputs?: number[][];
  vectors: number;
  seed: number;
  stall: number;
  vcd?: string;
}

export interface LayerActivity {
  name: string;
  kind: string;
  /** the layer's cycles per frame in the plan (null for blocks without a fixed count) */
  cycles: number | null;
  /** percentages of the simulated cycles: computing, output valid but not ready, input wanted but not valid */
  busy: number;
  stall: number;
  starve: number;
}

export interface SimulateReport {
  frames: number;
  outputs: (number | number[])[];
  outputCycles: number[];
  cyclesPerFrame: number | null;
  latencyCycles: number;
  cycles: number;
  /** frames whose output differs from the reference */
  mismatches: number;
  plan: { cyclesPerFrame: number; latencyCycles: number };
  layers: LayerActivity[];
  bottleneck: string;
  seconds: number;
}

/** Compute steps the block performed, from its handshake counts (every step of these blocks is one
 * input beat, except the MVUs, which take SF steps per output beat). */
function steps(b: HwBlock, s: SimResult['busy'][number]): number {
  return kindOf(b).steps(b, s);
}

function layerPlanCycles(b: HwBlock): number | null {
  return kindOf(b).cycles(b);
}

export function simulateModel(model: Model, o: SimulateOptions): SimulateReport {
  const codes = o.inputs ?? seededCodes(model, o.vectors, o.seed);
  if (codes.length === 0) fail('BNN070', '', 'no input vectors', 'give --vectors N (N >= 1) or --input FILE');
  const { plan, timing } = buildDesign(model, o);
  const exp = expectedOutputs(model, plan, codes);
  const perFrame = plan.output.beats;
  const inBeats = codes.flatMap((c) => inputBeats(plan, c));
  const vcd = o.vcd !== undefined ? new VcdWriter(o.vcd, plan) : null;
  const t0 = process.hrtime.bigint();
  let r: SimResult;
  try {
    r = simulate(plan, inBeats, perFrame * codes.length, {
      patterns: stallPatterns(o.stall, o.seed),
      ...(vcd ? { onCycle: (c, v, rd, d) => vcd.cycle(c, v, rd, d) } : {}),
    });
  } catch (e) {
    vcd?.abort();
    throw e;
  }
  vcd?.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const outputs: (number | number[])[] = [];
  let mismatches = 0;
  for (let f = 0; f < codes.length; f++) {
    const beats = r.outBeats.slice(f * perFrame, (f + 1) * perFrame);
    const lanes = beats.flat();
    outputs.push(plan.output.kind === 'argmax' ? lanes[0]! : lanes);
    const want = outputBeats(plan, typeof exp.outputs[f] === 'number' ? (exp.outputs[f] as number) : null, exp.scores[f]!);
    if (beats.length !== want.length || beats.some((b, j) => beatValue(b, plan.output.laneW) !== beatValue(want[j]!, plan.output.laneW))) mismatches++;
  }
  let index = 0;
  const layers: LayerActivity[] = plan.layers.map((g) => {
    index += g.blocks.length;
    const ci = index - 1;
    const b = plan.blocks[ci]!;
    const s = r.busy[ci]!;
    const pct = (x: number) => Number(((100 * x) / Math.max(1, r.cycles)).toFixed(1));
    return { name: g.name, kind: b.kind, cycles: layerPlanCycles(b), busy: pct(steps(b, s)), stall: pct(s.outStalls), starve: pct(s.inStarves) };
  });
  const bottleneck = layers.reduce((a, l) => (l.busy > a.busy ? l : a), layers[0]!).name;
  return {
    frames: codes.length, outputs, outputCycles: r.outCycles, cyclesPerFrame: steadyCycles(frameEnds(r.outCycles, perFrame)),
    latencyCycles: r.firstOut - r.firstIn, cycles: r.cycles, mismatches, plan: timing, layers, bottleneck, seconds,
  };
}

export function registerSimulate(program: Command): void {
  foldOptions(
    program
      .command('simulate')
      .description("run the cycle-accurate TypeScript simulator on the model's design: outputs, handshake cycles, throughput, per-layer activity")
      .argument('<model>', 'model.json'),
  )
    .option('--input <file>', 'inputs (JSON or .npy, as for infer)')
    .addOption(new Option('--layout <layout>', 'layout of image inputs in --input').choices(['hwc', 'nchw']).default('hwc'))
    .option('--vectors <n>', 'number of seeded random input vectors (without --input)', intArg('--vectors', 1), 8)
    .option('--seed <s>', 'seed for the vectors and the stall patterns', intArg('--seed', 0), 1)
    .option('--stall <p>', 'probability per cycle of an input gap and, independently, of output backpressure', probability, 0)
    .option('--vcd <file>', 'write the stream signals (tvalid, tready, tdata; top level and inside each layer) as VCD')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nThe simulator steps the same block chain the generated RTL has and is cycle-exact with it: every handshake\n' +
        'on every stream happens in the cycle it happens in the RTL (`bnn-hw verify --simulator all` checks it).\n' +
        'busy % = cycles the layer computes, stall % = cycles its output waits for the next layer, starve % = cycles\n' +
        'it waits for input, all over the whole run; the bottleneck is the busiest layer.\n\nExamples:\n' +
        '  $ bnn-hw simulate examples/tfc.json --vectors 100 --stall 0.1\n' +
        '  $ bnn-hw simulate examples/sfc.json --target-fps 100000 --input examples/sfc-inputs.json --vcd sfc.vcd --json\n',
    )
    .action((file: string, opts: FoldOptions & { input?: string; layout: Layout; vectors: number; seed: number; stall: number; vcd?: string; json?: boolean }) => {
      const model = loadModelFile(file);
      if (opts.vcd !== undefined) checkFileOutput(opts.vcd);
      const inputs = opts.input ? readInputs(opts.input, model, opts.layout) : undefined;
      const r = simulateModel(model, { ...opts, ...(inputs ? { inputs } : {}) });
      if (opts.json) {
        json({
          outputs: r.outputs, outputCycles: r.outputCycles, cyclesPerFrame: r.cyclesPerFrame, latencyCycles: r.latencyCycles, layers: r.layers,
          bottleneck: r.bottleneck, frames: r.frames, cycles: r.cycles, mismatches: r.mismatches, plan: r.plan, ...(opts.vcd ? { vcd: opts.vcd } : {}),
        });
      } else {
        const perFrame = r.outputCycles.length / Math.max(1, r.frames);
        out(table(
          ['frame', 'output', 'output cycles'],
          r.outputs.map((v, f) => [f, Array.isArray(v) ? v.join(' ') : v, r.outputCycles.slice(f * perFrame, (f + 1) * perFrame).join(' ')]),
          [true, false, false],
        ));
        out(`cycles per frame ${r.cyclesPerFrame ?? '- (needs 3 frames)'} (steady state; plan ${r.plan.cyclesPerFrame}), latency ${r.latencyCycles} cycles (plan ${r.plan.latencyCycles}), ${r.cycles} cycles simulated`);
        out(table(
          ['layer', 'block', 'cycles/frame', 'busy %', 'stall %', 'starve %'],
          r.layers.map((l) => [l.name, l.kind, l.cycles ?? '-', l.busy.toFixed(1), l.stall.toFixed(1), l.starve.toFixed(1)]),
          [false, false, true, true, true, true],
        ));
        out(`bottleneck: ${r.bottleneck}`);
        if (opts.vcd) out(`VCD written to ${opts.vcd}`);
        out(r.mismatches === 0 ? `outputs equal the reference for all ${r.frames} frames` : `${r.mismatches} of ${r.frames} frames differ from the reference`);
      }
      if (r.mismatches !== 0) process.exitCode = 1;
    });
}
