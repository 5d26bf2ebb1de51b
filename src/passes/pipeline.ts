/**
 * The compiler as one readable list of named, pure passes. Each pass returns a new value; its result
 * has a stable text form for `--dump-after <pass>`.
 */
import type { Model } from '../ir/model.js';
import type { IrModel } from '../ir/types.js';
import { printIr, printModel } from '../ir/print.js';
import { segment, type SegmentOptions, type Segmented } from './segment.js';
import { foldThresholds } from './fold.js';

export const FRONT_PASSES = ['load', 'segment', 'fold-thresholds'] as const;
export type FrontPass = (typeof FRONT_PASSES)[number];
/** every pass whose result `--dump-after` can print */
export const PASSES = [...FRONT_PASSES, 'plan', 'size-fifos'] as const;
export type Pass = (typeof PASSES)[number];

export interface FrontResult {
  model: Model;
  segmented: Segmented;
  ir: IrModel;
}

function printSegmented(s: Segmented): string {
  const names = (ls: { name: string }[]) => ls.map((l) => l.name).join(' ');
  const lines = [`segments ${s.model.name}`];
  if (s.binarizer) lines.push(`input: binarize [${names(s.binarizer.pre)}] ${s.binarizer.sign.name} [${names(s.binarizer.post)}]`);
  else lines.push(`input: raw [${names(s.inputFlatten)}]`);
  for (const { layer, act } of s.linears) {
    lines.push(act ? `${layer.name}: [${names(act.pre)}] ${act.sign.name} [${names(act.post)}]` : `${layer.name}: last, post [${names(s.tail)}]`);
  }
  return lines.join('\n') + '\n';
}

/** Run the front-end passes on a loaded model; `dump` receives the text after the named pass. */
export function compileFront(model: Model, dump?: { after: FrontPass; out: (text: string) => void }, options: SegmentOptions = {}): FrontResult {
  if (dump?.after === 'load') dump.out(printModel(model));
  const segmented = segment(model, options);
  if (dump?.after === 'segment') dump.out(printSegmented(segmented));
  const ir = foldThresholds(segmented);
  if (dump?.after === 'fold-thresholds') dump.out(printIr(ir));
  return { model, segmented, ir };
}

/** The integer IR of a model; `multiBit`: also k-bit activations (for the integer engine, not the hardware). */
export function compileIr(model: Model, options: SegmentOptions = {}): IrModel {
  return compileFront(model, undefined, options).ir;
}
