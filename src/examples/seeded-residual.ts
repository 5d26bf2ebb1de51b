/**
 * A seeded residual MLP (issue 13): the input binarised as in TFC, a dense stem, then residual blocks
 * dense -> batchnorm -> 2-bit quant whose output is added to the block's input (fan-out: the block's
 * input feeds both the dense layer and the add), and a dense classifier. All quantisers share scale 1,
 * so every add is an exact sum of codes (the range grows by [-1, 1] per block).
 */
import { FORMAT_TAG } from '../frontend/schema.js';
import { Prng } from '../util/prng.js';
import { batchnormJson, weightsJson } from './seeded-models.js';

type Json = Record<string, unknown>;

export interface ResidualMlpSpec {
  name: string;
  description: string;
  seed: number;
  inputs: number;
  width: number;
  blocks: number;
  classes: number;
  /** the activation of the stem and of every block */
  act: { bits: number; signed: boolean; narrow: boolean; scale: number };
}

export function residualMlpJson(s: ResidualMlpSpec): Json {
  const rng = new Prng(s.seed);
  const layers: Json[] = [
    { ...batchnormJson(rng, s.inputs, 12, 128, { negGamma: 0.05, zeroGamma: 0, tie: 0.3 }), name: 'in_bn' },
    { type: 'sign', name: 'in_sign' },
    { type: 'dense', name: 'stem', units: s.width, weights: weightsJson(rng, [s.width, s.inputs], true) },
    { ...batchnormJson(rng, s.width, Math.sqrt(s.inputs), 0), name: 'stem_bn' },
    { type: 'quant', name: 'stem_act', ...s.act },
  ];
  let x = 'stem_act';
  /** largest code magnitude of x: 1 after the stem, one more after each add */
  let range = 1;
  for (let k = 0; k < s.blocks; k++) {
    layers.push(
      { type: 'dense', name: `fc${k}`, units: s.width, inputs: [x], weights: weightsJson(rng, [s.width, s.width], true) },
      // the dense layer sums codes of about range / 2 in magnitude
      { ...batchnormJson(rng, s.width, s.act.scale * Math.sqrt(s.width) * (0.6 + range / 2), 0), name: `bn${k}` },
      { type: 'quant', name: `act${k}`, ...s.act },
      { type: 'add', name: `res${k}`, inputs: [`act${k}`, x] },
    );
    x = `res${k}`;
    range++;
  }
  layers.push({ type: 'dense', name: 'classifier', units: s.classes, weights: weightsJson(rng, [s.classes, s.width], true) });
  return { format: FORMAT_TAG, name: s.name, description: s.description, input: { shape: [s.inputs], type: 'uint8' }, layers, output: 'argmax' };
}
