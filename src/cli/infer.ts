import { type Command, Option } from 'commander';
import { loadModelFile } from '../frontend/load.js';
import { readInputs, type Layout } from '../frontend/inputs.js';
import { inferFloat, type Output } from '../reference/float.js';
import { inferInteger } from '../reference/integer.js';
import { compileIr } from '../passes/pipeline.js';
import type { Model } from '../ir/model.js';
import { inputRange } from '../ir/model.js';
import { json, out } from './output.js';

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

export function registerInfer(program: Command): void {
  program
    .command('infer')
    .description('run a model on input vectors in software (float reference or bit-packed integer engine)')
    .argument('<model>', 'model.json')
    .requiredOption('--input <file>', 'JSON {"inputs": [[...], ...]} (each input flattened HWC) or .npy (N x input shape)')
    .addOption(new Option('--layout <layout>', 'layout of image inputs in the file').choices(['hwc', 'nchw']).default('hwc'))
    .addOption(new Option('--engine <engine>', 'float: the reference semantics; integer: the hardware arithmetic').choices(['float', 'integer']).default('integer'))
    .option('--json', 'print {"outputs": [...]}')
    .addHelpText(
      'after',
      '\nOutputs are class labels for argmax models and score arrays for score models.\n\nExamples:\n' +
        '  $ bnn-hw infer examples/tfc.json --input examples/tfc-inputs.json\n' +
        '  $ bnn-hw infer tfc.json --input finn-tfc-input.npy --layout nchw --engine float --json',
    )
    .action((file: string, opts: { input: string; layout: Layout; engine: Engine; json?: boolean }) => {
      const model = loadModelFile(file);
      const inputs = readInputs(opts.input, model, opts.layout);
      const outputs = runInference(model, inputs, opts.engine);
      if (opts.json) json({ outputs });
      else outputs.forEach((o, i) => out(`${i}: ${Array.isArray(o) ? o.join(' ') : o}`));
    });
}
