/** `bnn-hw import`: a trained QONNX / FINN-ONNX / Keras-Larq model -> model.json. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import { importFile } from '../frontend/importers/detect.js';
import { FORMAT_NAMES, divisorProblem, offsetProblem } from '../frontend/importers/common.js';
import { loadModelValue } from '../frontend/load.js';
import { formatJson } from '../util/json-text.js';
import { checkFileOutput, writeFileOutput } from '../util/output-file.js';
import { json, out, table } from './output.js';

/** A numeric option: a number (not empty, not NaN), then its own range check. */
const numeric = (name: string, problem: (n: number) => string | null) => (v: string) => {
  const n = Number(v);
  const p = v.trim() === '' || Number.isNaN(n) ? `expected a number, found ${JSON.stringify(v)}` : problem(n);
  if (p) throw new InvalidArgumentError(`${name}: ${p}`);
  return n;
};

export interface ImportCliOptions {
  output: string;
  name?: string;
  inputType?: string;
  inputDivisor?: number;
  inputOffset?: number;
  modelOutput?: 'argmax' | 'scores';
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('convert a trained model (QONNX / FINN-ONNX .onnx, Keras / Larq .h5) to a bnn-hw model.json')
    .argument('<file>', 'the trained model: .onnx (QONNX from Brevitas export_qonnx, FINN-ONNX) or .h5 (Keras / Larq model.save)')
    .requiredOption('-o, --output <model.json>', 'where to write the bnn-hw model')
    .option('--name <name>', 'model name (default: from the file name)')
    .option('--input-type <type>', 'integer encoding of a float graph input: uintK, intK, bipolar or fixedB.F (e.g. uint8)')
    .option('--input-divisor <d>', 'the graph sees code / d (e.g. 255 for pixels scaled to [0, 1]); inserted as a layer', numeric('--input-divisor', divisorProblem))
    .option('--input-offset <b>', 'added after the division (e.g. -1 with divisor 127.5 for [-1, 1])', numeric('--input-offset', offsetProblem))
    .addOption(new Option('--model-output <kind>', 'what the model outputs (default argmax; graphs ending in TopK / ArgMax are argmax)').choices(['argmax', 'scores']))
    .option('--json', 'print the layer list as JSON')
    .addHelpText(
      'after',
      '\nThe format is detected from the file. Everything the graph computes becomes bnn-hw layers (affine for\n' +
        'Mul / Sub / Div / Add and TensorNorm, batchnorm, sign, dense, conv2d, maxpool, flatten), so the float\n' +
        'reference reproduces the graph; NCHW graphs are converted to bnn-hw\'s HWC layout.\n\n' +
        'Input encoding: a graph that takes floats needs --input-type. Brevitas\' TFC expects pixels in [0, 1]:\n' +
        '--input-type uint8 --input-divisor 255 makes the model take raw 0..255 pixels. Graphs that state their\n' +
        'input type (FINN finn_datatype, an input Quant, an integer input tensor) need no options.\n\nExamples:\n' +
        '  $ bnn-hw import ../shared/models/qonnx-TFC_1W1A.onnx --input-type uint8 --input-divisor 255 -o tfc.json\n' +
        '  $ bnn-hw import ../shared/models/finn-onnx-TFC_w1a1.onnx -o tfc-finn.json\n\n' +
        'Keras and Larq .h5 files are detected the same way and take the same options.\n',
    )
    .action(async (file: string, opts: ImportCliOptions) => {
      checkFileOutput(opts.output);
      const r = await importFile(file, {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.inputType !== undefined ? { inputType: opts.inputType } : {}),
        ...(opts.inputDivisor !== undefined ? { inputDivisor: opts.inputDivisor } : {}),
        ...(opts.inputOffset !== undefined ? { inputOffset: opts.inputOffset } : {}),
        ...(opts.modelOutput !== undefined ? { output: opts.modelOutput } : {}),
      });
      const path = resolve(opts.output);
      writeFileOutput(path, formatJson(r.model) + '\n');
      const model = loadModelValue(r.model);
      const layers = model.layers.map((l, i) => ({ name: l.name, type: l.type, output: [...l.outShape], from: r.provenance[i] ?? '' }));
      if (opts.json) {
        json({ output: path, format: r.format, name: model.name, input: r.model['input'], modelOutput: model.output, layers, notes: r.notes });
        return;
      }
      out(`${file}: ${FORMAT_NAMES[r.format]}`);
      out(table(['layer', 'type', 'output', 'from'], layers.map((l) => [l.name, l.type, `[${l.output.join(', ')}]`, l.from])));
      for (const n of r.notes) out(`note: ${n}`);
      const t = r.model['input'] as { shape: number[]; type: unknown };
      out(`input [${t.shape.join(', ')}] ${typeof t.type === 'string' ? t.type : JSON.stringify(t.type)}, output ${model.output}`);
      out(`wrote ${opts.output}`);
    });
}
