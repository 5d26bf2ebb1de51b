/**
 * The example models in examples/: FINN's TFC / SFC / LFC MLPs and CNV CNN (also with 2-bit
 * activations, CNV-W1A2), a small BinaryNet-style CNN, a residual MLP and a small Bi-Real-style
 * residual CNN (graphs: `infer` only for now), with seeded synthetic weights (not trained),
 * seeded inputs and a Markdown page each.
 * Everything is a pure function of the code and the seeds below, so regenerating gives byte-identical
 * files (test/examples.test.ts checks it). `npm run build && npm run examples` rewrites the folder.
 */
import { join } from 'node:path';
import { cnnJson, mlpJson, randomInputValues, type InputTypeJson } from './seeded-models.js';
import { residualMlpJson } from './seeded-residual.js';
import { birealJson } from './seeded-bireal.js';
import { firstGraphLayer } from '../ir/graph.js';
import { Prng } from '../util/prng.js';
import { writeFileAtomic } from '../util/fs.js';
import { formatJson } from '../util/json-text.js';
import { loadModelText } from '../frontend/load.js';
import { codesFromValues } from '../frontend/inputs.js';
import { compileFront } from '../passes/pipeline.js';
import { inspectText, layerStats } from '../api/inspect.js';
import { runInference } from '../api/infer.js';
import type { Model } from '../ir/model.js';

type Json = Record<string, unknown>;

/** Number of inputs in each examples/<name>-inputs.json. */
export const EXAMPLE_INPUTS = 8;
/** The LFC model file must stay well below this many bytes. */
export const LFC_MAX_BYTES = 2_000_000;
/** Weight bits of FINN's CNV (sum of the nine matrix sizes). */
export const CNV_WEIGHT_BITS = 1_542_848;

const REGENERATE = 'npm run build && npm run examples';
const SYNTHETIC =
  'The weights and batchnorm statistics are **synthetic**: drawn from a seeded PRNG by `src/examples/seeded-models.ts`. ' +
  'The model is **not trained** and its outputs carry no meaning; it exists to exercise the compiler, the ' +
  'reference engines and the generated hardware at a realistic size. The batchnorm statistics have the ' +
  'magnitudes a trained layer would have and include the awkward cases (negative gammas, which flip a ' +
  'neuron; occasional zero gammas, which make it constant; exact ties where the batchnorm output is 0).';
const FINN_PAPER =
  'Y. Umuroglu et al., "FINN: A Framework for Fast, Scalable Binarized Neural Network Inference", FPGA 2017, ' +
  'and the BNN-PYNQ repository (github.com/Xilinx/BNN-PYNQ)';
const BINARYNET_PAPER =
  'M. Courbariaux, I. Hubara et al., "Binarized Neural Networks: Training Deep Neural Networks with Weights and ' +
  'Activations Constrained to +1 or -1", 2016 (BinaryNet)';

interface Example {
  name: string;
  title: string;
  seed: number;
  inputSeed: number;
  model: () => Json;
  /** Markdown bullet list describing the topology */
  topology: string[];
  origin: string;
}

/**
 * BNN-PYNQ's W1A2 hidden activations: Brevitas' bnn_pynq `CommonActQuant` (models/common.py) is signed,
 * narrow_range, constant scaling with min_val -1 and max_val 1, so at 2 bits the scale is
 * 1 / (2^(2-1) - 1) = 1 and the codes are -1, 0, 1 (ternary activations).
 */
export const W1A2_ACT = { bits: 2, signed: true, narrow: true, scale: 1 } as const;

const mlp = (base: string, width: number, seed: number, packed: boolean, label: string, a2 = false): Example => {
  const name = a2 ? `${base}_w1a2` : base;
  const up = base.toUpperCase();
  return {
    name,
    title: a2
      ? `${label}-W1A2: FINN's ${up} MLP (784-${width}-${width}-${width}-10) with binary weights and 2-bit activations, synthetic weights`
      : `${label}: FINN's ${up} binary MLP (784-${width}-${width}-${width}-10), synthetic weights`,
    seed,
    inputSeed: seed + 100,
    model: () =>
      mlpJson({
        name,
        description: `FINN / BNN-PYNQ ${up}${a2 ? '-W1A2' : ''} topology (784-${width}x3-10 on MNIST-sized input${a2 ? ', ternary (2-bit signed narrow) hidden activations' : ''}); synthetic seeded weights (seed ${seed}), not trained`,
        seed,
        inputs: 784,
        widths: [width, width, width],
        classes: 10,
        inputType: 'uint8',
        binarizeInput: true,
        inputBinarizer: { centre: 128, spread: 12, names: ['in_bn', 'in_sign'] },
        lastBn: false,
        output: 'argmax',
        packed,
        latentFirst: false,
        ...(a2 ? { act: W1A2_ACT } : {}),
      }),
    topology: [
      'input: 784 `uint8` pixels (a flattened 28x28 MNIST-sized image)',
      'input binarisation: per-pixel batchnorm + sign (`in_bn`, `in_sign`); the thresholds lie near 128, like FINN\'s pixel threshold',
      a2
        ? `hidden: 3 x (dense ${width} -> batchnorm -> quant 2-bit signed narrow, scale ${W1A2_ACT.scale}) (\`fc0\`..\`fc2\`, \`act0\`..\`act2\`): codes and values -1, 0, 1 (BNN-PYNQ W1A2: Brevitas' bnn_pynq CommonActQuant, signed, narrow range, [-1, 1]); fc1..fc3 read 2-bit codes`
        : `hidden: 3 x (dense ${width} -> batchnorm -> sign) (\`fc0\`..\`fc2\`)`,
      'output: dense 10 (`fc3`) with no batchnorm after it (BNN-PYNQ style), `argmax` gives the class',
      packed ? 'weights: packed form (`{"shape", "packed"}`, base64 bits)' : 'weights: nested arrays of -1/+1',
    ],
    origin: `Topology from FINN / BNN-PYNQ: ${FINN_PAPER}.`,
  };
};
/** Every hidden sign of a CNN becomes the W1A2 quantiser (W1A2_ACT, as in the MLPs; same name, same place). */
function withW1A2(model: Json): Json {
  const layers = (model['layers'] as Json[]).map((l) => (l['type'] === 'sign' ? { type: 'quant', name: l['name'], ...W1A2_ACT } : l));
  return { ...model, layers };
}

const CNV_CONVS = [
  { filters: 64, kernel: 3 },
  { filters: 64, kernel: 3, pool: { size: 2, where: 'after' } },
  { filters: 128, kernel: 3 },
  { filters: 128, kernel: 3, pool: { size: 2, where: 'after' } },
  { filters: 256, kernel: 3 },
  { filters: 256, kernel: 3 },
] as const;

export const EXAMPLES: Example[] = [
  mlp('tfc', 64, 1001, false, 'TFC'),
  mlp('sfc', 256, 1002, true, 'SFC'),
  mlp('lfc', 1024, 1003, true, 'LFC'),
  mlp('tfc', 64, 1011, false, 'TFC', true),
  mlp('lfc', 1024, 1013, true, 'LFC', true),
  {
    name: 'cnv',
    title: "CNV: FINN's binary CNN for 32x32 RGB images, synthetic weights",
    seed: 1004,
    inputSeed: 1104,
    model: () =>
      cnvJson('cnv', 1004, 'FINN / BNN-PYNQ CNV topology (CIFAR-10-sized input); synthetic seeded weights (seed 1004), not trained'),
    topology: [
      'input: 32x32x3 image, `fixed<8,7>` values in [-1, 127/128], fed raw (not binarised) into the first convolution',
      'conv 64C3 -> conv 64C3 -> maxpool 2 -> conv 128C3 -> conv 128C3 -> maxpool 2 -> conv 256C3 -> conv 256C3, all `valid`, each conv followed by batchnorm + sign',
      'FINN order: each maxpool comes after the sign (it pools binary values)',
      'feature maps 32-30-28-14-12-10-5-3-1; matrices (fan-in x outputs) 27x64, 576x64, 576x128, 1152x128, 1152x256, 2304x256, 256x512, 512x512, 512x10',
      'flatten -> dense 512 -> dense 512 (each batchnorm + sign) -> dense 10 with no batchnorm, `argmax`',
      `weights: packed form, ${String(CNV_WEIGHT_BITS).replace(/\B(?=(\d{3})+$)/g, ',')} bits in total`,
    ],
    origin: `Topology from FINN / BNN-PYNQ (CNV, itself derived from the BinaryNet CIFAR-10 network): ${FINN_PAPER}.`,
  },
  {
    name: 'cnv_w1a2',
    title: "CNV-W1A2: FINN's CNV with binary weights and 2-bit activations, synthetic weights",
    seed: 1006,
    inputSeed: 1106,
    model: () =>
      withW1A2(cnvJson('cnv_w1a2', 1006, 'FINN / BNN-PYNQ CNV-W1A2 topology (CIFAR-10-sized input, binary weights, 2-bit activations); synthetic seeded weights (seed 1006), not trained')),
    topology: [
      'input: 32x32x3 image, `fixed<8,7>` values in [-1, 127/128], fed raw into the first convolution',
      'conv 64C3 -> conv 64C3 -> maxpool 2 -> conv 128C3 -> conv 128C3 -> maxpool 2 -> conv 256C3 -> conv 256C3, all `valid`, each conv followed by batchnorm + a 2-bit `quant`',
      'activations: `quant` 2 bits, signed, narrow, scale 1 (codes and values -1, 0, 1), the W1A2 activation of the TFC / LFC W1A2 examples; the streams between layers carry 2-bit two\'s complement codes',
      'each maxpool comes after the quantiser: it takes the max of the codes (the min on channels whose batchnorm gain is negative)',
      'feature maps 32-30-28-14-12-10-5-3-1; matrices (fan-in x outputs) 27x64, 576x64, 576x128, 1152x128, 1152x256, 2304x256, 256x512, 512x512, 512x10',
      'flatten -> dense 512 -> dense 512 (each batchnorm + 2-bit `quant`) -> dense 10 with no batchnorm, `argmax`',
      `weights: packed form, ${String(CNV_WEIGHT_BITS).replace(/\B(?=(\d{3})+$)/g, ',')} bits in total`,
    ],
    origin: `Topology from FINN / BNN-PYNQ (CNV-W1A2; BNN-PYNQ reports 82.66 % on CIFAR-10 for its trained W1A2 network): ${FINN_PAPER}.`,
  },
  {
    name: 'binarynet_small',
    title: 'binarynet_small: a small BinaryNet-style CNN with padding, stride 2 and pool-before-batchnorm',
    // seed chosen among 1005..1029 for the most varied labels on the inputs file (5 of 10)
    seed: 1020,
    inputSeed: 1120,
    model: () =>
      cnnJson({
        name: 'binarynet_small',
        description: 'small BinaryNet-style CNN (12x12x3 uint8 input) for fast RTL simulation; synthetic seeded weights (seed 1020), not trained',
        seed: 1020,
        input: [12, 12, 3],
        inputType: 'uint8',
        convs: [
          { filters: 8, kernel: 3, padding: 'same', padValue: 0 },
          { filters: 16, kernel: 3, padding: 'same', padValue: -1, pool: { size: 2, where: 'before' }, bias: true },
          { filters: 16, kernel: 3, stride: 2, padding: 'same', padValue: 1 },
        ],
        dense: [32],
        classes: 10,
        lastBn: true,
        output: 'argmax',
        packed: false,
        latentWeights: true,
        bn: { negGamma: 0.3 },
      }),
    topology: [
      'input: 12x12x3 `uint8` image fed raw into the first convolution',
      '`conv0`: 8C3, `same` padding with `padValue` 0 (true zero padding of the integer input) -> batchnorm -> sign',
      '`conv1`: 16C3 with a bias, `same` padding with `padValue` -1 -> maxpool 2 -> batchnorm -> sign (BinaryNet order: the pool comes before the batchnorm; some gammas are negative, so those channels pool with AND after thresholding)',
      '`conv2`: 16C3, stride 2, `same` padding with `padValue` +1 -> batchnorm -> sign (12 -> 6 -> 3)',
      'flatten (144) -> dense 32 -> batchnorm -> sign -> dense 10 -> batchnorm (`fbn1`, so the argmax sees real scores)',
      'weights: nested arrays of real-valued (latent) weights, binarised by sign (w >= 0 -> +1) at load time',
    ],
    origin: `BinaryNet-style layer order: ${BINARYNET_PAPER}. The topology is a scaled-down illustration, not a published network.`,
  },
  {
    name: 'residual_mlp',
    title: 'residual_mlp: a residual MLP (shortcuts around dense blocks, 2-bit activations), synthetic weights',
    seed: 1030,
    inputSeed: 1130,
    model: () =>
      residualMlpJson({
        name: 'residual_mlp',
        description: 'residual MLP (784-64, three residual dense blocks of width 64, 10 classes) with 2-bit activations added on shortcuts; synthetic seeded weights (seed 1030), not trained',
        seed: 1030,
        inputs: 784,
        width: 64,
        blocks: 3,
        classes: 10,
        act: W1A2_ACT,
      }),
    topology: [
      'input: 784 `uint8` pixels, binarised by a per-pixel batchnorm + sign (`in_bn`, `in_sign`) as in TFC',
      `stem: dense 64 -> batchnorm -> quant 2-bit signed narrow, scale ${W1A2_ACT.scale} (\`stem\`, \`stem_act\`; codes -1, 0, 1)`,
      'three residual blocks: `fc<k>` (dense 64) -> `bn<k>` -> `act<k>` (the same quant) -> `res<k>` = add(`act<k>`, block input); the block input fans out to the dense layer and to the add (`"inputs"`), and since every quantiser has scale 1 each add is an exact sum of codes at scale 1 (codes -2..2 after the first block, -4..4 after the third)',
      'output: dense 10 (`classifier`) on the last sum, `argmax` gives the class',
      'a graph: `bnn-hw infer` runs it with both engines (bit-exact), and it maps to hardware: `plan`, `generate`, `simulate`, `estimate` and `verify` take it (the section Hardware below, docs/graphs.md)',
      'weights: packed form (`{"shape", "packed"}`, base64 bits)',
    ],
    origin: 'Residual shortcuts as in Bi-Real Net (Z. Liu et al., "Bi-Real Net: Enhancing the Performance of 1-bit CNNs with Improved Representational Capability and Advanced Training Algorithm", ECCV 2018), here around dense layers. The topology is an illustration, not a published network.',
  },
  {
    name: 'birealnet_small',
    title: 'birealnet_small: a small Bi-Real-style residual CNN (binary 3x3 convs, 2-bit shortcuts, avgpool downsampling, global average pooling), synthetic weights',
    // seed chosen among 1040..1055 for the most varied labels on the inputs file (3 of 10): uniform
    // random images look much alike after global average pooling
    seed: 1045,
    inputSeed: 1140,
    model: () =>
      birealJson({
        name: 'birealnet_small',
        description: 'small Bi-Real-style CNN (32x32x3 uint8 input, a stride-2 integer stem, five residual blocks of 16 channels, one with an avgpool shortcut, global average pooling, 10 classes); synthetic seeded weights (seed 1045), not trained',
        seed: 1045,
        input: [32, 32, 3],
        width: 16,
        blocks: [2, 2],
        classes: 10,
        act: W1A2_ACT,
        bn: { negGamma: 0.2, zeroGamma: 0.03 },
      }),
    topology: [
      'input: 32x32x3 `uint8` image fed raw into the first convolution',
      '`stem`: conv 16C3, stride 2, padding 1 with `padValue` 0 (true zero padding of the 8-bit integers) -> batchnorm -> quant 2-bit signed narrow, scale 1 (`stem_act`; codes -1, 0, 1): 16x16x16',
      `residual blocks \`b0\`, \`b1\` (16x16x16): \`b<k>_sign\` -> \`b<k>_conv\` (binary 16C3, padding 1 with \`padValue\` -1) -> \`b<k>_bn\` -> \`b<k>_act\` (the same quant) -> \`b<k>_add\` = add(\`b<k>_act\`, block input); the block input fans out to the sign and to the add (\`"inputs"\`)`,
      'downsampling block `b2` (16x16 -> 8x8): the conv has stride 2 and the shortcut is `b2_pool`, a 2x2 stride-2 `avgpool` of the block input, as in Bi-Real Net. The channel count stays 16: an add needs two tensors of one shape and an avgpool cannot change the channels (the other form the issue allows, a binary 1x1 stride-2 conv + batchnorm + quant on the shortcut, could; the ONNX import tests cover the avgpool form too)',
      'scales: the avgpool divides its codes\' scale by 4, so `b2_add` and every add after it sums a stream at scale 1 (the block quant) and one at scale 1/4, a power of two apart: an exact sum of codes (c_pool + 4 c_act at scale 1/4)',
      'residual blocks `b3`, `b4` at 8x8x16, then `gap` (globalavgpool, [8, 8, 16] -> [16]) and `fc` (dense 10), `argmax` gives the class',
      'a graph: `bnn-hw infer` runs it with both engines (bit-exact), and it maps to hardware: `plan`, `generate`, `simulate`, `estimate` and `verify` take it (the section Hardware below; docs/graphs.md uses its bypass FIFOs as the worked example of their sizing)',
      'weights: packed form (`{"shape", "packed"}`, base64 bits)',
    ],
    origin: 'Block structure from Bi-Real Net (Z. Liu et al., "Bi-Real Net: Enhancing the Performance of 1-bit CNNs with Improved Representational Capability and Advanced Training Algorithm", ECCV 2018): a real-valued (here 2-bit) shortcut around every binary 3x3 convolution, an average-pooling shortcut where the map shrinks, global average pooling before the classifier. Scaled down to 16 channels; an illustration, not a published network.',
  },
];

/** FINN's CNV: 32x32x3 fixed<8,7> input, the CNV convolutions, dense 512 x 2, 10 classes, packed weights. */
const cnvJson = (name: string, seed: number, description: string): Json =>
  cnnJson({
    name, description, seed,
    input: [32, 32, 3],
    inputType: { fixed: { bits: 8, frac: 7 } },
    convs: [...CNV_CONVS],
    dense: [512, 512],
    classes: 10,
    lastBn: false,
    output: 'argmax',
    packed: true,
  });

function inputTypeJson(m: Model): InputTypeJson {
  const t = m.input.type;
  if (t.kind === 'fixed') return { fixed: { bits: t.bits, frac: t.frac } };
  if (t.kind === 'codes') throw new Error('internal: a codes input (graph segment) has no JSON type');
  return t.kind === 'bipolar' ? 'bipolar' : `${t.kind}${t.bits}`;
}

/** Seeded random inputs (real values, flattened HWC) valid for the model's input type. */
export function exampleInputs(model: Model, seed: number, n: number): number[][] {
  const rng = new Prng(seed);
  const size = model.input.shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => randomInputValues(rng, size, inputTypeJson(model)));
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`examples: ${what}`);
}

/** Structural promises the examples make (sizes from the FINN papers); throws when one is broken. */
function checkExample(name: string, text: string, model: Model): void {
  const stats = layerStats(model);
  const linear = model.layers.filter((l) => l.type === 'dense' || l.type === 'conv2d');
  const matrices = linear.map((l) => (l.type === 'dense' ? `${l.fanIn}x${l.units}` : `${l.kernel[0] * l.kernel[1] * l.inShape[2]!}x${l.filters}`));
  if (name === 'lfc' || name === 'lfc_w1a2') check(Buffer.byteLength(text) < LFC_MAX_BYTES, `lfc.json is ${Buffer.byteLength(text)} bytes`);
  if (name === 'cnv' || name === 'cnv_w1a2') {
    check(stats.total.weightBits === CNV_WEIGHT_BITS, `cnv has ${stats.total.weightBits} weight bits`);
    check(matrices.join(' ') === '27x64 576x64 576x128 1152x128 1152x256 2304x256 256x512 512x512 512x10', `cnv matrices ${matrices.join(' ')}`);
    const maps = [model.input.shape[0]!, ...model.layers.filter((l) => l.type === 'conv2d' || l.type === 'maxpool').map((l) => l.outShape[0]!)];
    check(maps.join('-') === '32-30-28-14-12-10-5-3-1', `cnv maps ${maps.join('-')}`);
  }
  // k-bit examples: the integer engine's front end (the hardware mapping is checked by the cosim tests);
  // graphs run on the graph integer engine
  if (!firstGraphLayer(model)) compileFront(model, undefined, { multiBit: true });
}

function markdown(e: Example, model: Model): string {
  const inputs = `${e.name}-inputs.json`;
  const infer = runInference(model, exampleInputs(model, e.inputSeed, EXAMPLE_INPUTS).map((v, i) => codesFromValues(v, model, `/inputs/${i}`)), 'integer');
  return [
    `# ${e.title}`,
    '',
    `\`${e.name}.json\` is a model in the \`bnn-hw/model@1\` format. ${e.origin}`,
    '',
    SYNTHETIC + ` Seed: ${e.seed}.`,
    '',
    '## Topology',
    '',
    ...e.topology.map((t) => `- ${t}`),
    '',
    '## Files',
    '',
    `- \`${e.name}.json\`: the model`,
    `- \`${inputs}\`: ${EXAMPLE_INPUTS} seeded random inputs (seed ${e.inputSeed}), real values valid for the input type, each flattened HWC`,
    `- \`${e.name}.md\`: this page`,
    '',
    'All three are generated; do not edit them by hand. To regenerate the whole folder:',
    '',
    '```sh',
    REGENERATE,
    '```',
    '',
    '## `bnn-hw inspect`',
    '',
    '```text',
    `$ bnn-hw inspect examples/${e.name}.json`,
    inspectText(model).trimEnd(),
    '```',
    '',
    '## `bnn-hw infer` on the inputs file',
    '',
    '```text',
    `$ bnn-hw infer examples/${e.name}.json --input examples/${inputs}`,
    ...infer.map((o, i) => `${i}: ${Array.isArray(o) ? o.join(' ') : o}`),
    '```',
    '',
  ].join('\n');
}

/** All files of examples/, by file name. */
export function exampleFiles(only?: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of EXAMPLES) {
    if (only && !only.includes(e.name)) continue;
    const text = formatJson(e.model()) + '\n';
    const model = loadModelText(text);
    checkExample(e.name, text, model);
    const inputs = exampleInputs(model, e.inputSeed, EXAMPLE_INPUTS);
    files.set(`${e.name}.json`, text);
    files.set(`${e.name}-inputs.json`, formatJson({ inputs }) + '\n');
    files.set(`${e.name}.md`, markdown(e, model));
  }
  return files;
}

/** Write the examples into `dir`; returns the paths written. */
export function writeExamples(dir: string, only?: readonly string[]): string[] {
  const written: string[] = [];
  for (const [file, text] of exampleFiles(only)) {
    const path = join(dir, file);
    writeFileAtomic(path, text);
    written.push(path);
  }
  return written;
}
