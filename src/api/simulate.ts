/** Running the cycle-accurate TypeScript simulator on a model's design (`bnn-hw simulate`). */
import type { FoldOptions } from '../flows/build.js';
import { type LayerActivity, simulateModel } from '../flows/simulate.js';
import { checkFileOutput } from '../util/output-file.js';
import { type Inputs, LAYOUTS, inputCodes } from './infer.js';
import type { Layout } from '../frontend/inputs.js';
import type { Output } from '../reference/float.js';
import { type ModelSource, loadModel } from './model.js';
import { intAtLeast, oneOf, optionsObject, probability, text, withDiagnostics } from './options.js';
import { foldOptionsOf } from './plan.js';
import { firstGraphLayer } from '../ir/graph.js';
import { simulateGraphModel } from '../flows/graph-simulate.js';

export type { LayerActivity } from '../flows/simulate.js';

export interface SimulateOptions extends FoldOptions {
  /** the input vectors (as for infer); without them `vectors` seeded random vectors */
  inputs?: Inputs;
  layout?: Layout;
  /** number of seeded random input vectors (default 8) */
  vectors?: number;
  /** seed of the vectors and the stall patterns (default 1) */
  seed?: number;
  /** probability per cycle of an input gap and, independently, of output backpressure (default 0) */
  stall?: number;
  /** write the stream signals as VCD to this file */
  vcd?: string;
}

/** What `simulate --json` prints. */
export interface SimulateReport {
  outputs: Output[];
  outputCycles: number[];
  cyclesPerFrame: number | null;
  latencyCycles: number;
  layers: LayerActivity[];
  bottleneck: string;
  frames: number;
  cycles: number;
  /** frames whose output differs from the reference (0 unless there is a bug) */
  mismatches: number;
  plan: { cyclesPerFrame: number; latencyCycles: number };
  vcd?: string;
}

/** `bnn-hw simulate --json`: outputs, the cycle of every output handshake, throughput, latency and per-layer activity. */
export function simulate(model: ModelSource, options?: SimulateOptions): SimulateReport {
  return withDiagnostics(() => {
    const m = loadModel(model);
    const o = optionsObject(options);
    const vectors = intAtLeast('vectors', o.vectors, 1, 8);
    const seed = intAtLeast('seed', o.seed, 0, 1);
    const stall = probability('stall', o.stall, 0);
    const layout = oneOf('layout', o.layout, LAYOUTS, 'hwc');
    const vcd = text('vcd', o.vcd);
    const fold = foldOptionsOf(o);
    if (vcd !== undefined) checkFileOutput(vcd);
    const inputs = o.inputs !== undefined ? inputCodes(m, o.inputs, layout) : undefined;
    const r = (firstGraphLayer(m) ? simulateGraphModel : simulateModel)(m, { ...fold, vectors, seed, stall, ...(vcd !== undefined ? { vcd } : {}), ...(inputs ? { inputs } : {}) });
    return {
      outputs: r.outputs, outputCycles: r.outputCycles, cyclesPerFrame: r.cyclesPerFrame, latencyCycles: r.latencyCycles, layers: r.layers,
      bottleneck: r.bottleneck, frames: r.frames, cycles: r.cycles, mismatches: r.mismatches, plan: r.plan, ...(vcd !== undefined ? { vcd } : {}),
    };
  });
}
