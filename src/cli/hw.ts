/** `generate` and `verify`: the RTL commands. */
import { type Command, Option, InvalidArgumentError } from 'commander';
import { resolve, join } from 'node:path';
import { loadModelFile } from '../frontend/load.js';
import { readInputs, type Layout } from '../frontend/inputs.js';
import { FRONT_PASSES, type FrontPass } from '../passes/pipeline.js';
import { buildDesign, type FoldOptions } from '../flows/build.js';
import { verify } from '../flows/verify.js';
import type { RtlSimulator } from '../flows/rtlsim.js';
import { writeTreeAtomic } from '../util/fs.js';
import { err, json, out, progress, table } from './output.js';

export const positiveNumber = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
export const intArg = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
  return n;
};
const probability = (v: string) => {
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('--stall must be in [0, 1)');
  return n;
};

export function foldOptions(cmd: Command): Command {
  return cmd
    .option('--fold <file>', 'folding: {"layers": [{"pe": P, "simd": S}, ...]} or FINN folding_config.json')
    .option('--target-fps <n>', 'choose the cheapest PE/SIMD per layer that reaches N frames per second', positiveNumber('--target-fps'))
    .option('--clock-mhz <f>', 'clock frequency for --target-fps (default 100)', positiveNumber('--clock-mhz'));
}

const FOLD_HELP =
  '\nFolding: each dense layer computes PE neurons x SIMD inputs per cycle and takes (MH/PE)*(MW/SIMD) cycles per\n' +
  'frame; the design runs at the slowest layer. Without --fold or --target-fps every layer uses PE = SIMD = 1.\n';

export function registerGenerate(program: Command): void {
  foldOptions(
    program
      .command('generate')
      .description('generate the streaming Verilog design for a model: rtl/, mem/, tb/, flows/, manifest.json')
      .argument('<model>', 'model.json'),
  )
    .option('-o, --output <dir>', 'output folder (default rtl-out/<model name>)')
    .addOption(new Option('--dump-after <pass>', 'print the IR after a compiler pass and continue').choices([...FRONT_PASSES]))
    .option('--json', 'print the manifest as JSON')
    .addHelpText(
      'after',
      FOLD_HELP +
        '\nThe output folder is replaced atomically: a failed run leaves nothing behind. Output is deterministic.\n\nExamples:\n' +
        '  $ bnn-hw generate examples/tfc.json --fold examples/tfc-fold.json\n' +
        '  $ bnn-hw generate examples/sfc.json --target-fps 100000 --clock-mhz 200 -o build/sfc\n',
    )
    .action((file: string, opts: FoldOptions & { output?: string; dumpAfter?: FrontPass; json?: boolean }) => {
      const model = loadModelFile(file);
      const dump = opts.dumpAfter ? { after: opts.dumpAfter, out } : undefined;
      const built = buildDesign(model, opts, dump);
      const dir = resolve(opts.output ?? join('rtl-out', model.name));
      writeTreeAtomic(dir, built.files);
      const manifest = JSON.parse(built.files.get('manifest.json')!) as { layers: { name: string; kind: string; pe?: number; simd?: number; mw?: number; mh?: number; cycles?: number }[] };
      if (opts.json) {
        json({ outputDir: dir, ...manifest });
        return;
      }
      out(`wrote ${built.files.size} files to ${dir}`);
      out(table(['layer', 'block', 'PE', 'SIMD', 'MW', 'MH', 'cycles'], manifest.layers.map((l) => [l.name, l.kind, l.pe ?? '', l.simd ?? '', l.mw ?? '', l.mh ?? '', l.cycles ?? '']), [false, false, true, true, true, true, true]));
      out(`cycles per frame ${built.timing.cyclesPerFrame}, latency ${built.timing.latencyCycles} cycles; top module ${built.plan.top}`);
    });
}

export function registerVerify(program: Command): void {
  foldOptions(
    program
      .command('verify')
      .description('generate the design, simulate it in Icarus / Verilator and compare every output with the reference')
      .argument('<model>', 'model.json'),
  )
    .addOption(new Option('--simulator <name>', 'RTL simulator(s)').choices(['icarus', 'verilator', 'all']).default('icarus'))
    .option('--vectors <n>', 'number of seeded random input vectors', intArg('--vectors', 1), 8)
    .option('--seed <s>', 'seed for vectors and stall patterns', intArg('--seed', 0), 1)
    .option('--stall <p>', 'probability per cycle of an input gap and, independently, of output backpressure', probability, 0)
    .option('--input <file>', 'use these inputs instead (JSON or .npy, as for infer)')
    .addOption(new Option('--layout <layout>', 'layout of image inputs in --input').choices(['hwc', 'nchw']).default('hwc'))
    .option('-o, --output <dir>', 'keep the generated design and simulation files here')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      FOLD_HELP +
        '\nExit code 0 only with zero mismatches and measured timing equal to the plan.\n\nExamples:\n' +
        '  $ bnn-hw verify examples/tfc.json --fold examples/tfc-fold.json --simulator all --vectors 20 --stall 0.2\n' +
        '  $ bnn-hw verify tfc.json --input finn-tfc-input.npy --layout nchw --simulator verilator\n',
    )
    .action(async (file: string, opts: FoldOptions & { simulator: string; vectors: number; seed: number; stall: number; input?: string; layout: Layout; output?: string; json?: boolean }) => {
      const model = loadModelFile(file);
      const inputs = opts.input ? readInputs(opts.input, model, opts.layout) : undefined;
      const simulators: RtlSimulator[] = opts.simulator === 'all' ? ['icarus', 'verilator'] : [opts.simulator as RtlSimulator];
      const report = await verify(model, { ...opts, simulators, ...(inputs ? { inputs } : {}), ...(opts.output ? { outDir: resolve(opts.output) } : {}), progress: progress(!opts.json) });
      if (opts.json) {
        json({
          vectors: report.vectors, mismatches: report.mismatches, cyclesPerFrame: report.plan.cyclesPerFrame, latencyCycles: report.plan.latencyCycles,
          simulators: Object.fromEntries(Object.entries(report.simulators).map(([k, v]) => [k, { mismatches: v.mismatches, cyclesPerFrame: v.cyclesPerFrame, latencyCycles: v.latencyCycles, ...(v.stalled ? { stalled: v.stalled } : {}), seconds: Number(v.seconds.toFixed(2)) }])),
        });
      } else {
        out(table(
          ['simulator', 'vectors', 'mismatches', 'cycles/frame', 'plan', 'latency', 'plan', 'stalled run', 'seconds'],
          Object.entries(report.simulators).map(([k, v]) => [k, report.vectors, v.mismatches, v.cyclesPerFrame ?? '-', report.plan.cyclesPerFrame, v.latencyCycles, report.plan.latencyCycles, v.stalled ? `${v.stalled.frames} frames, ${v.stalled.mismatches} mismatches` : '-', v.seconds.toFixed(2)]),
          [false, true, true, true, true, true, true, false, true],
        ));
        if (report.timingMismatch.length) err(`timing differs from the plan in: ${report.timingMismatch.join(', ')}`);
        out(report.mismatches === 0 && report.timingMismatch.length === 0 ? 'PASS' : 'FAIL');
      }
      if (report.mismatches !== 0 || report.timingMismatch.length !== 0) process.exitCode = 1;
    });
}
