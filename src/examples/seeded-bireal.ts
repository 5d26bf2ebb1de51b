/**
 * A seeded Bi-Real-style CNN (issue 13): an integer-input stem convolution, residual blocks
 * x -> sign -> binary 3x3 conv -> batchnorm -> k-bit quant -> add(., x), one downsampling block whose
 * shortcut is a 2x2 stride-2 avgpool (Bi-Real Net's own shortcut), global average pooling and a dense
 * classifier. The avgpool divides the shortcut's scale by 4, so from there on every add sums a stream
 * at scale 1 (the block's quant) and one at scale 1/4: scales a power of two apart, an exact code sum.
 */
import { FORMAT_TAG } from '../frontend/schema.js';
import { Prng } from '../util/prng.js';
import { batchnormJson, weightsJson } from './seeded-models.js';

type Json = Record<string, unknown>;

export interface BirealSpec {
  name: string;
  description: string;
  seed: number;
  /** [H, W, C] of the uint8 input */
  input: [number, number, number];
  /** channels of every feature map */
  width: number;
  /** residual blocks before and after the downsampling block */
  blocks: [number, number];
  classes: number;
  /** the quantiser of the stem and of every block */
  act: { bits: number; signed: boolean; narrow: boolean; scale: number };
  /** batch-norm gains: probability of a negative and of a zero gain per channel */
  bn: { negGamma: number; zeroGamma: number };
}

const PAD1 = [1, 1, 1, 1];

export function birealJson(s: BirealSpec): Json {
  const rng = new Prng(s.seed);
  const [, , cin] = s.input;
  const c = s.width;
  const conv = (name: string, inputs: string[] | undefined, ci: number, stride: number, padValue: -1 | 0) => ({
    type: 'conv2d', name, ...(inputs ? { inputs } : {}), filters: c, kernel: [3, 3], ...(stride !== 1 ? { strides: [stride, stride] } : {}),
    padding: PAD1, padValue, weights: weightsJson(rng, [c, 3, 3, ci], true),
  });
  // the stem: 3x3 stride 2 on raw 8-bit pixels (zero padding), spread as for pixels 0..255
  const layers: Json[] = [
    conv('stem', undefined, cin, 2, 0),
    { ...batchnormJson(rng, c, (Math.sqrt(9 * cin) * 255) / 3, 0, s.bn), name: 'stem_bn' },
    { type: 'quant', name: 'stem_act', ...s.act },
  ];
  let x = 'stem_act';
  const block = (k: number, down: boolean) => {
    layers.push(
      { type: 'sign', name: `b${k}_sign`, inputs: [x] },
      conv(`b${k}_conv`, undefined, c, down ? 2 : 1, -1),
      // a binary conv of fan-in 9c sums +-1 products: spread sqrt(9c)
      { ...batchnormJson(rng, c, Math.sqrt(9 * c), 0, s.bn), name: `b${k}_bn` },
      { type: 'quant', name: `b${k}_act`, ...s.act },
    );
    let shortcut = x;
    if (down) {
      layers.push({ type: 'avgpool', name: `b${k}_pool`, inputs: [x], pool: [2, 2] });
      shortcut = `b${k}_pool`;
    }
    layers.push({ type: 'add', name: `b${k}_add`, inputs: [`b${k}_act`, shortcut] });
    x = `b${k}_add`;
  };
  let k = 0;
  for (let i = 0; i < s.blocks[0]; i++) block(k++, false);
  block(k++, true);
  for (let i = 0; i < s.blocks[1]; i++) block(k++, false);
  layers.push({ type: 'globalavgpool', name: 'gap' }, { type: 'dense', name: 'fc', units: s.classes, weights: weightsJson(rng, [s.classes, c], true) });
  return { format: FORMAT_TAG, name: s.name, description: s.description, input: { shape: s.input, type: 'uint8' }, layers, output: 'argmax' };
}
