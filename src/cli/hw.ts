/** `generate` and `verify`: the RTL commands. */
import { type Command, Option, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { loadModel } from '../api/model.js';
import { generateRun } from '../api/generate.js';
import { readInputs, type Layout } from '../frontend/inputs.js';
import { PASSES, type Pass } from '../passes/pipeline.js';
import type { FoldOptions } from '../flows/build.js';
import { SIMULATORS, type Simulator, verify } from '../flows/verify.js';
import { checkOutputDir } from '../util/output-dir.js';
import { nodeName } from '../passes/graph-types.js';
import { DiagnosticError, diag, formatDiagnostic } from '../diagnostics/diagnostic.js';
import { type DatasetOptions, accuracyReport, datasetInputs } from '../api/infer.js';
import { datasetOptions } from './infer.js';
import { err, json, out, progress, table } from './output.js';

/** Images a dataset verification runs by default (every image is simulated cycle by cycle). */
export const VERIFY_DATASET_LIMIT = 32;

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
/** `--simulator`: one name, a comma list, or all (= icarus, verilator, ts). */
export const simulatorList = (v: string): Simulator[] => {
  if (v === 'all') return [...SIMULATORS];
  const names = v.split(',').map((x) => x.trim());
  for (const n of names) if (!(SIMULATORS as readonly string[]).includes(n)) throw new InvalidArgumentError(`unknown simulator '${n}': expected ${SIMULATORS.join(', ')} or all`);
  return SIMULATORS.filter((s) => names.includes(s));
};
export const probability = (v: string) => {
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('--stall must be in [0, 1)');
  return n;
};

export function foldOptions(cmd: Command): Command {
  return cmd
    .option('--fold <file>', 'folding: {"layers": [{"pe": P, "simd": S}, ...]} or FINN folding_config.json')
    .option('--target-fps <n>', 'choose the cheapest PE/SIMD per layer that reaches N frames per second', positiveNumber('--target-fps'))
    .option('--clock-mhz <f>', 'clock frequency for --target-fps (default 100)', positiveNumber('--clock-mhz'))
    .option('--no-size-fifos', "keep the planner's FIFO depths (SF + 2) instead of sizing each FIFO from its simulated peak occupancy")
    .option('--device <name>', 'with --target-fps or --max-fps: choose the folding by estimated resources so that it fits this device (xc7z020, xc7z045, xczu3eg, ice40up5k, ice40hx8k)')
    .option('--max-fps', 'with --device: the fastest folding that fits the device');
}

const FORCE_HELP = 'replace the output folder even when it is not empty and was not written by bnn-hw (never /, the working folder or its parents, the home folder or its parents, nor a file, device or symbolic link)';

const OUTPUT_HELP =
  '\nThe output folder is replaced only when it does not exist, is empty or holds a design bnn-hw wrote (its\n' +
  'manifest.json); anything else is refused unless --force is given (see docs/output-folders.md). The new folder\n' +
  'is written beside the old one and swapped in by renames: a failed or interrupted run leaves the old one as it was.\n';

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
    .option('--force', FORCE_HELP)
    .addOption(new Option('--dump-after <pass>', 'print the IR after a compiler pass and continue').choices([...PASSES]))
    .option('--json', 'print the manifest as JSON')
    .addHelpText(
      'after',
      FOLD_HELP +
        OUTPUT_HELP + 'Output is deterministic.\n\nExamples:\n' +
        '  $ bnn-hw generate examples/tfc.json --fold examples/folds/tfc-finn.json\n' +
        '  $ bnn-hw generate examples/sfc.json --target-fps 100000 --clock-mhz 200 -o build/sfc\n' +
        '  $ bnn-hw generate examples/birealnet_small.json --fold bench/foldings/birealnet_small.json -o build/birealnet_small\n' +
        '(a residual graph: the output also lists every bypass FIFO, its depth and the branch it waits for)\n',
    )
    .action(async (file: string, opts: FoldOptions & { output?: string; force?: boolean; dumpAfter?: Pass; json?: boolean }) => {
      const model = loadModel(file);
      const { report, built } = await generateRun(model, { ...opts, outDir: opts.output ?? join('rtl-out', model.name), dumpOut: out });
      if (opts.json) {
        json(report);
        return;
      }
      out(`wrote ${built.files.size} files to ${report.outputDir}`);
      out(table(['layer', 'block', 'PE', 'SIMD', 'MW', 'MH', 'cycles'], report.layers.map((l) => [l.name, l.kind, 'pe' in l ? l.pe : '', 'simd' in l ? l.simd : '', 'mw' in l ? l.mw : '', 'mh' in l ? l.mh : '', 'cycles' in l ? l.cycles : '']), [false, false, true, true, true, true, true]));
      out(`cycles per frame ${built.timing.cyclesPerFrame}, latency ${built.timing.latencyCycles} cycles; top module ${built.plan.top}`);
      if ('bypass' in built.plan) {
        const g = built.plan;
        for (const b of g.bypass) out(`bypass FIFO ${nodeName(g.nodes[b.node]!)} -> ${b.add}: depth ${b.depth} (${b.origin})`);
        if ('notes' in built) for (const d of built.notes) err(formatDiagnostic(d).replace(/^error/, 'warning'));
        return;
      }
      const fs = 'fifoSizing' in built ? built.fifoSizing : null;
      if (fs) {
        out(`FIFO depths from simulated peak occupancy + ${fs.margin}: ${fs.fifos.map((f) => `${f.name} ${f.depth} (planner ${f.planned})`).join(', ')}`);
        for (const d of fs.notes) err(formatDiagnostic(d).replace(/^error/, 'warning'));
      }
    });
}

export function registerVerify(program: Command): void {
  datasetOptions(
    foldOptions(
      program
        .command('verify')
        .description('generate the design, simulate it (Icarus, Verilator, the TypeScript cycle model) and compare every output with the reference')
        .argument('<model>', 'model.json'),
    ),
    `with --dataset: the first N images (default ${VERIFY_DATASET_LIMIT})`,
  )
    .option('--simulator <names>', 'simulator(s): icarus, verilator (the RTL), ts (the TypeScript cycle model), a comma list of them, or all', simulatorList, ['icarus'] as Simulator[])
    .option('--vectors <n>', 'number of seeded random input vectors', intArg('--vectors', 1), 8)
    .option('--seed <s>', 'seed for vectors and stall patterns', intArg('--seed', 0), 1)
    .option('--stall <p>', 'probability per cycle of an input gap and, independently, of output backpressure', probability, 0)
    .option('--input <file>', 'use these inputs instead (JSON or .npy, as for infer)')
    .addOption(new Option('--layout <layout>', 'layout of image inputs in --input').choices(['hwc', 'nchw']).default('hwc'))
    .option('-o, --output <dir>', 'keep the generated design and simulation files here (replaced as for generate)')
    .option('--force', FORCE_HELP)
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      FOLD_HELP +
        '\nWith more than one simulator every stream (between and inside the layers) is traced and each simulator\'s\n' +
        'handshakes, cycle and data, are compared with the reference simulator\'s (Icarus when it runs).\n' +
        'Exit code 0 only with zero mismatches, measured timing equal to the plan and identical handshakes.\n\nExamples:\n' +
        '  $ bnn-hw verify examples/tfc.json --fold examples/folds/tfc-ones.json --simulator all --vectors 4 --stall 0.2\n' +
        '  $ bnn-hw verify examples/imported/tfc_w1a1.json --input ../shared/models/finn-tfc-input.npy --layout nchw --simulator verilator\n' +
        '  $ bnn-hw verify examples/imported/tfc_w1a1.json --fold examples/folds/tfc-finn.json --dataset mnist --limit 20\n' +
        '  $ bnn-hw verify examples/residual_mlp.json --fold bench/foldings/residual_mlp.json --simulator ts --stall 0.3\n\n' +
        'With --dataset the images are the inputs, and the report adds the top-1 accuracy of the outputs.\n' + OUTPUT_HELP,
    )
    .action(async (file: string, opts: FoldOptions & DatasetOptions & { simulator: Simulator[]; vectors: number; seed: number; stall: number; input?: string; layout: Layout; output?: string; force?: boolean; json?: boolean }) => {
      const model = loadModel(file);
      if (opts.output !== undefined) checkOutputDir(opts.output, { force: opts.force === true });
      if (opts.input !== undefined && opts.dataset !== undefined) {
        throw new DiagnosticError(diag('BNN073', '', 'give either --input or --dataset, not both', 'for example --dataset mnist --limit 32'));
      }
      const data = opts.dataset ? datasetInputs(model, opts, VERIFY_DATASET_LIMIT) : null;
      const inputs = data ? data.codes : opts.input ? readInputs(opts.input, model, opts.layout) : undefined;
      const simulators = opts.simulator;
      const report = await verify(model, { ...opts, simulators, ...(inputs ? { inputs } : {}), ...(opts.output !== undefined ? { outDir: opts.output, force: opts.force === true } : {}), progress: progress(!opts.json) });
      // the reference outputs every simulator was compared with: equal to the hardware's when there are no mismatches
      const refOutputs = inputs ? report.outputs : null;
      const acc = data && refOutputs ? accuracyReport(data.ds, refOutputs) : null;
      if (opts.json) {
        json({
          vectors: report.vectors, mismatches: report.mismatches, cyclesPerFrame: report.plan.cyclesPerFrame, latencyCycles: report.plan.latencyCycles,
          simulators: Object.fromEntries(Object.entries(report.simulators).map(([k, v]) => [k, {
            mismatches: v.mismatches, cyclesPerFrame: v.cyclesPerFrame, latencyCycles: v.latencyCycles, ...(v.stalled ? { stalled: v.stalled } : {}),
            ...(v.handshakes ? { handshakes: v.handshakes } : {}), seconds: Number(v.seconds.toFixed(2)),
          }])),
          ...(refOutputs && !data ? { outputs: refOutputs } : {}),
          ...(data && acc ? { dataset: { name: data.ds.name, split: data.ds.split, images: acc.images, correct: acc.correct, accuracy: acc.accuracy, confusion: acc.confusion } } : {}),
        });
      } else {
        out(table(
          ['simulator', 'vectors', 'mismatches', 'cycles/frame', 'plan', 'latency', 'plan', 'stalled run', 'stream handshakes', 'seconds'],
          Object.entries(report.simulators).map(([k, v]) => [
            k, report.vectors, v.mismatches, v.cyclesPerFrame ?? '-', report.plan.cyclesPerFrame, v.latencyCycles, report.plan.latencyCycles,
            v.stalled ? `${v.stalled.frames} frames, ${v.stalled.mismatches} mismatches` : '-',
            v.handshakes ? (v.handshakes.mismatches === 0 ? `${v.handshakes.handshakes} = ${v.handshakes.against}` : `${v.handshakes.mismatches} differ from ${v.handshakes.against}`) : Object.keys(report.simulators).length > 1 ? 'reference' : '-',
            v.seconds.toFixed(2),
          ]),
          [false, true, true, true, true, true, true, false, false, true],
        ));
        if (report.timingMismatch.length) err(`timing differs from the plan in: ${report.timingMismatch.join(', ')}`);
        for (const k of report.handshakeMismatch) err(`${k}: stream handshakes differ from ${report.simulators[k]!.handshakes!.against}; first: ${report.simulators[k]!.handshakes!.first}`);
        if (refOutputs && !data && model.output === 'argmax' && refOutputs.length <= 64) {
          out(`labels ${refOutputs.join(', ')} (${report.mismatches === 0 ? 'reference and hardware agree' : 'reference'})`);
        }
        if (data && acc) {
          const same = report.mismatches === 0 ? 'the hardware gave the reference output for every image' : `the hardware differs from the reference (${report.mismatches} mismatches): this is the reference's accuracy`;
          out(`${data.ds.name}: ${acc.images} images, accuracy ${(100 * acc.accuracy).toFixed(2)} % (${acc.correct} / ${acc.images} correct); ${same}`);
        }
        out(report.mismatches === 0 && report.timingMismatch.length === 0 && report.handshakeMismatch.length === 0 ? 'PASS' : 'FAIL');
      }
      if (report.mismatches !== 0 || report.timingMismatch.length !== 0 || report.handshakeMismatch.length !== 0) process.exitCode = 1;
    });
}
