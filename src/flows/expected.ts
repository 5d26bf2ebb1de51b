import { beatValue } from '../sim/streams.js';
/**
 * Input vectors and the outputs the hardware must produce for them, computed once per run with the
 * bit-packed integer engine (src/reference/integer.ts: the hardware's arithmetic, proven equal to the
 * float reference by test/unit/engines.test.ts and the examples). Seeded vectors are generated frame by
 * frame, so a long simulation can stream them: inputs and expected outputs of only the frames in flight
 * are held.
 */
import type { Model } from '../ir/model.js';
import { inputRange, prod } from '../ir/model.js';
import { inferInteger } from '../reference/integer.js';
import { randomInputValues, type InputTypeJson } from '../util/random-inputs.js';
import { Prng } from '../util/prng.js';
import type { HwPlan } from '../passes/plan.js';
import type { BeatSource } from '../sim/engine.js';
import type { Beat } from '../blocks/sim-base.js';
import { inputBeats, outputBeats } from './stimulus.js';

export function typeJson(model: Model): InputTypeJson {
  const t = model.input.type;
  if (t.kind === 'codes') throw new Error('internal: a codes input (graph segment) has no JSON type');
  return t.kind === 'fixed' ? { fixed: { bits: t.bits, frac: t.frac } } : t.kind === 'bipolar' ? 'bipolar' : `${t.kind}${t.bits}`;
}

/** The seeded random input vectors (integer codes), one frame per call: the n first calls give seededCodes(model, n, seed). */
export function seededFrames(model: Model, seed: number): () => number[] {
  const rng = new Prng(seed);
  const scale = inputRange(model.input.type).scale;
  const n = prod(model.input.shape);
  const t = typeJson(model);
  return () => randomInputValues(rng, n, t).map((v) => v / scale);
}

export function seededCodes(model: Model, n: number, seed: number): number[][] {
  const next = seededFrames(model, seed);
  return Array.from({ length: n }, next);
}

export interface Expected {
  outputs: (number | number[])[];
  scores: number[][];
}

/** Expected outputs (labels or scores) and the integer scores the hardware streams, of every vector. */
export function expectedOutputs(_model: Model, plan: HwPlan, codes: number[][]): Expected {
  const outputs: (number | number[])[] = [];
  const scores: number[][] = [];
  for (const c of codes) {
    const r = inferInteger(plan.ir, c);
    outputs.push(r.output);
    scores.push(r.scores);
  }
  return { outputs, scores };
}

/** The output beats one frame of codes must produce. */
export function expectedBeats(plan: HwPlan, codes: readonly number[]): Beat[] {
  const r = inferInteger(plan.ir, codes);
  return outputBeats(plan, typeof r.output === 'number' ? r.output : null, r.scores);
}

/**
 * Input beats of `frames` frames made on demand, for the simulator (which reads them in order): each
 * frame's codes come from `next` when its first beat is read, and `onFrame` sees them then (to
 * compute the frame's expected output while it is in flight).
 */
export class FrameBeats implements BeatSource {
  readonly length: number;
  private frame = -1;
  private beats: Beat[] = [];
  private readonly perFrame: number;
  constructor(
    private readonly plan: HwPlan,
    frames: number,
    private readonly next: (frame: number) => number[],
    private readonly onFrame: (codes: number[], frame: number) => void,
  ) {
    this.perFrame = plan.input.beats;
    this.length = frames * this.perFrame;
  }

  at(i: number): Beat | undefined {
    if (i < 0 || i >= this.length) return undefined;
    const f = Math.floor(i / this.perFrame);
    if (f !== this.frame) {
      if (f !== this.frame + 1) throw new Error(`internal: input beat ${i} read out of order (frame ${f} after ${this.frame})`);
      const codes = this.next(f);
      this.onFrame(codes, f);
      this.beats = inputBeats(this.plan, codes);
      this.frame = f;
    }
    return this.beats[i - f * this.perFrame];
  }
}

/**
 * The output side of a streamed simulation: output beats grouped into frames, each checked against the
 * expected beats queued when its input entered (`expect`), then dropped; the labels / scores and the
 * output cycles kept for the report. Shared by chain and graph `simulate`.
 */
export class FrameChecker {
  readonly outputs: (number | number[])[] = [];
  readonly outputCycles: number[] = [];
  mismatches = 0;
  private readonly inFlight: Beat[][] = [];
  private beats: Beat[] = [];
  constructor(
    private readonly out: { beats: number; laneW: number; kind: string },
  ) {}

  /** the expected output beats of the next frame to enter */
  expect(beats: Beat[]): void {
    this.inFlight.push(beats);
  }

  /** an output handshake (the engine's onOutput) */
  readonly onOutput = (beat: Beat, cycle: number): void => {
    this.outputCycles.push(cycle);
    this.beats.push(beat);
    if (this.beats.length < this.out.beats) return;
    const want = this.inFlight.shift()!;
    const w = this.out.laneW;
    if (want.length !== this.beats.length || this.beats.some((b, j) => beatValue(b, w) !== beatValue(want[j]!, w))) this.mismatches++;
    const lanes = this.beats.flat();
    this.outputs.push(this.out.kind === 'argmax' ? lanes[0]! : lanes);
    this.beats = [];
  };
}
