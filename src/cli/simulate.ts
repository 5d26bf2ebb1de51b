/** `simulate`: the cycle-accurate TypeScript simulator on a model's planned design (src/api/simulate.ts). */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Layout } from '../frontend/inputs.js';
import type { FoldOptions } from '../flows/build.js';
import { loadModel } from '../api/model.js';
import { simulate } from '../api/simulate.js';
import { foldOptions, intArg, probability } from './hw.js';
import { json, out, table } from './output.js';

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
        '  $ bnn-hw simulate examples/sfc.json --target-fps 100000 --input examples/sfc-inputs.json --vcd sfc.vcd --json\n' +
        '  $ bnn-hw simulate examples/birealnet_small.json --fold bench/foldings/birealnet_small.json --stall 0.3\n',
    )
    .action((file: string, opts: FoldOptions & { input?: string; layout: Layout; vectors: number; seed: number; stall: number; vcd?: string; json?: boolean }) => {
      const r = simulate(loadModel(file), { ...opts, ...(opts.input !== undefined ? { inputs: opts.input } : {}) });
      if (opts.json) {
        json(r);
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
