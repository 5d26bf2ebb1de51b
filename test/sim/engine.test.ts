/**
 * The cycle-accurate engine on its own (no RTL): the compiled stepping loop against the interpreted
 * one (the executable specification), values against the reference, the deadlock diagnostic, the
 * shared pattern files, and constant memory with streamed inputs and outputs.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFront } from '../../src/passes/pipeline.js';
import { plan as planOf, type HwPlan } from '../../src/passes/plan.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { expectedOutputs, seededCodes } from '../../src/flows/verify.js';
import { inputBeats, outputBeats, readPatterns } from '../../src/flows/stimulus.js';
import { stallPatterns } from '../../src/sim/patterns.js';
import { writeRunData } from '../../src/flows/rtlsim.js';
import { deadlockBound, longestZeroRun, simulate, type SimOptions } from '../../src/sim/engine.js';
import { FifoSim } from '../../src/blocks/sim-base.js';
import { blockSim } from '../../src/blocks/registry.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { mlpJson } from '../../src/examples/seeded-models.js';
import type { Model } from '../../src/ir/model.js';
import { randomPlans } from '../helpers/plans.js';

function stimulus(model: Model, plan: HwPlan, frames: number, seed: number) {
  const codes = seededCodes(model, frames, seed);
  const exp = expectedOutputs(model, plan, codes);
  return {
    inBeats: codes.flatMap((c) => inputBeats(plan, c)),
    outBeats: codes.flatMap((_, i) => outputBeats(plan, typeof exp.outputs[i] === 'number' ? (exp.outputs[i] as number) : null, exp.scores[i]!)),
  };
}

describe('engine: compiled loop = interpreted loop', () => {
  const cases = randomPlans(60, 1);
  it('found enough mappable random models', () => expect(cases.length).toBe(60));
  it.each(cases.map((c, k) => [c.seed, k % 3 === 0 ? 0 : k % 3 === 1 ? 0.2 : 0.5, c] as const))('random model %i, stall %f', (seed, stall, c) => {
    const s = stimulus(c.model, c.plan, 4, seed);
    const base: SimOptions = { patterns: stallPatterns(stall, seed), traceStreams: true, traceData: true, occupancy: 'all' };
    const a = simulate(c.plan, s.inBeats, s.outBeats.length, { ...base, engine: 'interpreted' });
    const b = simulate(c.plan, s.inBeats, s.outBeats.length, { ...base, engine: 'compiled' });
    expect(b.streamCycles).toEqual(a.streamCycles);
    expect(b.streamData).toEqual(a.streamData);
    expect(b.busy).toEqual(a.busy);
    expect({ ...b, busy: null, streamCycles: null, streamData: null }).toEqual({ ...a, busy: null, streamCycles: null, streamData: null });
    // and the values are the reference's
    expect(b.outBeats, 'outputs of the TS block models against the reference (integer engine)').toEqual(s.outBeats);
  });
});

describe('engine: deadlock diagnostic (BNN110) names the stuck stream', () => {
  const m = loadModelValue(mlpJson({ name: 'dl_mlp', seed: 3, inputs: 12, widths: [8], classes: 4, inputType: 'uint4', binarizeInput: true, output: 'argmax' }));
  const { ir } = compileFront(m);
  const p = planOf(ir, { layers: [{ pe: 2, simd: 3 }, { pe: 2, simd: 4 }], inputPe: null });
  const s = stimulus(m, p, 2, 1);

  it('the output is never ready', () => {
    const run = () => simulate(p, s.inBeats, s.outBeats.length, { patterns: { valid: Uint8Array.of(1), ready: Uint8Array.of(0) }, deadlockCycles: 200 });
    expect(run).toThrow(DiagnosticError);
    try {
      run();
    } catch (e) {
      const d = (e as DiagnosticError).diagnostics[0]!;
      expect(d.code).toBe('BNN110');
      expect(d.message).toMatch(/^simulation made no progress for 200 cycles \(deadlock\) at cycle \d+: the output stream s4 \(argmax -> output\) is valid but never ready$/);
      expect(d.notes!.join('\n')).toMatch(/s4: valid=1 ready=0/);
    }
  });

  it('a FIFO that never accepts names the stream into it, by layer name', () => {
    const i = p.blocks.findIndex((b) => b.name === 'fc1_fifo');
    const sims = p.blocks.map((b, k) => (k === i ? new FifoSim(b.name, 0) : blockSim(b, false)));
    try {
      simulate(p, s.inBeats, s.outBeats.length, { patterns: stallPatterns(0, 0), sims, deadlockCycles: 100 });
      expect.unreachable();
    } catch (e) {
      const d = (e as DiagnosticError).diagnostics[0]!;
      expect(d.message).toMatch(/: stream u_layer_fc1.st0 \(fc1_dwc -> fc1_fifo, inside layer fc1\) is valid but never ready \(stuck in fc1_fifo\)$/);
    }
  });

  it('no input at all: no stream is valid', () => {
    expect(() => simulate(p, s.inBeats, s.outBeats.length, { patterns: { valid: Uint8Array.of(0), ready: Uint8Array.of(1) } })).toThrow(/no stream is valid/);
  });

  it('the default bound covers the longest gap in the patterns', () => {
    expect(longestZeroRun(Uint8Array.of(0, 1, 1, 0, 0))).toBe(3);
    expect(longestZeroRun(Uint8Array.of(1, 0, 1, 1))).toBe(1);
    expect(longestZeroRun(Uint8Array.of(0, 0))).toBe(2);
    expect(deadlockBound(p, stallPatterns(0, 0))).toBe(1024 + 2 * p.cyclesPerFrame);
  });
});

describe('engine: stimulus and memory', () => {
  it('reads the pattern files the testbench reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-pat-'));
    try {
      const patterns = stallPatterns(0.3, 9);
      writeRunData(dir, { inBeats: [[1]], outBeats: [[0]], inLaneW: 1, outLaneW: 1, patterns, dataDir: 'd', timeoutCycles: 10 });
      expect(readPatterns(join(dir, 'd'))).toEqual(patterns);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams inputs and outputs: no per-frame or per-cycle history is kept', () => {
    const m = loadModelValue(mlpJson({ name: 'mem_mlp', seed: 4, inputs: 16, widths: [8], classes: 4, inputType: 'bipolar', output: 'argmax' }));
    const { ir } = compileFront(m);
    const p = planOf(ir, { layers: [{ pe: 8, simd: 16 }, { pe: 4, simd: 8 }], inputPe: null });
    const frames = 200_000;
    const beat = new Array<number>(p.input.lanes).fill(1);
    let outs = 0;
    const r = simulate(p, { length: p.input.beats * frames, at: () => beat }, p.output.beats * frames, {
      patterns: stallPatterns(0.1, 1), keepOutputs: false, onOutput: () => void outs++,
    });
    expect(outs).toBe(frames);
    expect(r.outCount).toBe(frames);
    expect(r.outBeats).toEqual([]);
    expect(r.outCycles).toEqual([]);
    expect(r.streamCycles).toBeNull();
  });

  it('names every stream as the RTL does', () => {
    const m = loadModelValue(mlpJson({ name: 'names_mlp', seed: 5, inputs: 12, widths: [6], classes: 3, inputType: 'uint4', binarizeInput: true, output: 'scores' }));
    const { ir } = compileFront(m);
    const p = planOf(ir, { layers: [{ pe: 3, simd: 4 }, { pe: 3, simd: 2 }], inputPe: null });
    expect(p.streams.map((s) => `${s.path}:${s.width}`)).toEqual(p.blocks.length === 7
      ? ['s0:16', 's1:4', 'u_layer_fc0.st0:4', 's2:3', 'u_layer_fc1.st0:2', 'u_layer_fc1.st1:2', 's3:' + p.streams.at(-1)!.width]
      : p.streams.map((s) => `${s.path}:${s.width}`));
    expect(p.streams[0]!.path).toBe('s0');
    expect(p.streams.filter((s) => s.topLevel).map((s) => s.path)).toEqual(['s0', 's1', 's2', 's3']);
  });
});
