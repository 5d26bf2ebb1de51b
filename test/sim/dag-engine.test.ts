/**
 * The graph cycle engine (src/sim/dag-engine.ts) and bypass-FIFO sizing (src/sim/bypass-sizing.ts) on
 * a residual skeleton: x -> bnn_dup -> bypass FIFO -> add.a, and -> a long branch that needs L words
 * before its first output (a FIFO-free delay line, as a sliding window needs rows ahead) -> add.b.
 * At the sized depth the run keeps the slowest node's rate with zero bubbles; one word below, the
 * watchdog stops it with BNN046 naming the full bypass edges and the starved long branch. A chain
 * through asPortSim equals the chain engine (engine.ts) on a real planned design.
 */
import { describe, expect, it } from 'vitest';
import type { Beat, PortSim } from '../../src/blocks/sim-base.js';
import { asPortSim, FifoSim } from '../../src/blocks/sim-base.js';
import { DUP_DEPTH, DupSim } from '../../src/blocks/kinds/dup-sim.js';
import { ADD_IN_DEPTH, AddSim } from '../../src/blocks/kinds/add-sim.js';
import type { AddParams } from '../../src/blocks/port-types.js';
import { simulateGraph, watchdogBound, type SimGraph } from '../../src/sim/dag-engine.js';
import { BYPASS_SLACK, sizeBypassFifos } from '../../src/sim/bypass-sizing.js';
import { paced } from '../../src/sim/fifo-sizing.js';
import { stallPatterns } from '../../src/sim/patterns.js';
import { simulate } from '../../src/sim/engine.js';
import { blockSim } from '../../src/blocks/registry.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { randomPlans } from '../helpers/plans.js';
import { seededCodes } from '../../src/flows/verify.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/frontend/load.js';
import { compileFront } from '../../src/passes/pipeline.js';
import { plan as planOf, type HwPlan } from '../../src/passes/plan.js';
import { readFolding } from '../../src/passes/folding.js';
import type { Model } from '../../src/ir/model.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
import { inputBeats } from '../../src/flows/stimulus.js';

/**
 * A FIFO-free long branch written for the test: a delay line that takes a word at most every `ii`
 * cycles and hands on its oldest word only once it holds L words (the oldest and the L - 1 after it)
 * or the oldest word's frame (F words) has fully arrived; it holds at most L + 1 words. Register-only outputs, as the library's blocks.
 */
class DelayLine implements PortSim {
  readonly inPorts = 1;
  readonly outPorts = 1;
  private q: { beat: Beat; frame: number }[] = [];
  private got = 0;
  private wait = 0;
  constructor(readonly name: string, readonly L: number, readonly F: number, readonly ii: number) {}
  sReady(): boolean {
    return this.q.length <= this.L && this.wait === 0;
  }
  mValid(): boolean {
    return this.q.length > 0 && (this.q.length >= this.L || Math.floor(this.got / this.F) > this.q[0]!.frame);
  }
  mData(): Beat {
    return this.q[0]!.beat;
  }
  step(_c: number, sValid: readonly boolean[], sData: readonly (Beat | null)[], mReady: readonly boolean[]): void {
    const rd = this.mValid() && mReady[0]!;
    const wr = sValid[0]! && this.sReady();
    if (this.wait > 0) this.wait--;
    if (rd) this.q.shift();
    if (wr) {
      this.q.push({ beat: sData[0]!, frame: Math.floor(this.got / this.F) });
      this.got++;
      this.wait = this.ii - 1;
    }
  }
  busy(): boolean {
    return this.q.length > 0;
  }
  occupancy(): number {
    return this.q.length;
  }
}

const AP: AddParams = { PE: 1, A_W: 4, A_SIGNED: 0, B_W: 4, B_SIGNED: 0, SHIFT: 1 };

interface Skel {
  L: number;
  F: number;
  ii: number;
}

function residual(k: Skel, bypassDepth: number): SimGraph {
  return {
    nodes: [new DupSim('dup', 2), asPortSim(new FifoSim('bypass', bypassDepth)), new DelayLine('long', k.L, k.F, k.ii), new AddSim('add', AP)],
    edges: [
      { name: 'dup.m0->bypass', from: { node: 0, port: 0 }, to: { node: 1, port: 0 } },
      { name: 'dup.m1->long', from: { node: 0, port: 1 }, to: { node: 2, port: 0 } },
      { name: 'bypass->add.a', from: { node: 1, port: 0 }, to: { node: 3, port: 0 } },
      { name: 'long->add.b', from: { node: 2, port: 0 }, to: { node: 3, port: 1 } },
    ],
    input: { node: 0, port: 0 },
    output: { node: 3, port: 0 },
  };
}

const frames = (k: Skel, n: number): Beat[] => Array.from({ length: n * k.F }, (_, i) => [(i * 7 + 3) % 16]);
// out = a + (b << SHIFT), both branches carrying the same word: computed here, not by the models
const sums = (xs: Beat[]) => xs.map((x) => [x[0]! + (x[0]! << AP.SHIFT)]);
const NF = 6;

/** frame end cycles -> the steady interval (last two frames) */
const lastInterval = (cycles: number[], F: number) => cycles[NF * F - 1]! - cycles[(NF - 1) * F - 1]!;

describe('graph engine: bypass FIFO sizing on a residual skeleton', () => {
  for (const k of [
    { L: 8, F: 16, ii: 1 },
    { L: 7, F: 14, ii: 2 },
    { L: 12, F: 12, ii: 1 },
  ] as Skel[]) {
    const interval = k.F * k.ii; // the slowest node's cycles per frame (the delay line)
    const xs = frames(k, NF);
    const size = () => sizeBypassFifos({ graph: () => residual(k, 1), bypass: [1], input: xs, beatsPerFrame: k.F, interval, outBeats: xs.length, longestSilence: interval, slack: 0 })[0]!;
    const run = (depth: number, src: ReturnType<typeof paced> | { patterns: ReturnType<typeof stallPatterns> }) =>
      simulateGraph(residual(k, depth), xs, xs.length, { ...src, watchdog: watchdogBound(interval, src.patterns), traceStreams: true });

    it(`L ${k.L}, frame ${k.F}, II ${k.ii}: at the sized depth, zero bubbles at the planned rate`, () => {
      const s = size();
      // the long branch holds L - 1 words before its first output: the bypass path must hold about as many
      expect(s.exact).toBeGreaterThanOrEqual(k.L - 3);
      const deep = run(2 ** 20, paced(k.F, interval));
      for (const d of [s.exact, s.exact + 1]) {
        const r = run(d, paced(k.F, interval));
        expect(r.outBeats).toEqual(sums(xs));
        // every output in the cycle it comes with a deep bypass FIFO, one frame per planned interval
        expect(r.outCycles).toEqual(deep.outCycles);
        expect(lastInterval(r.outCycles, k.F)).toBe(interval);
        expect(r.streams[1]!.stalls, 'the bypass FIFO never refuses a beat').toBe(0);
        // source always valid: the design still runs at the slowest node's rate
        const f = run(d, { patterns: stallPatterns(0, 0) });
        expect(lastInterval(f.outCycles, k.F)).toBe(interval);
      }
      // the default depth adds BYPASS_SLACK for real traffic; under random gaps and backpressure it
      // runs to the end with the right sums
      const dflt = sizeBypassFifos({ graph: () => residual(k, 1), bypass: [1], input: xs, beatsPerFrame: k.F, interval, outBeats: xs.length, longestSilence: interval })[0]!;
      expect(dflt.depth).toBe(s.exact + BYPASS_SLACK);
      for (const seed of [1, 2, 3]) expect(run(dflt.depth, { patterns: stallPatterns(0.3, seed) }).outBeats).toEqual(sums(xs));
    });

    it(`L ${k.L}, frame ${k.F}, II ${k.ii}: one below the sized depth, the branches stall each other`, () => {
      const s = size();
      const deep = run(2 ** 20, paced(k.F, interval));
      const r = run(s.exact - 1, paced(k.F, interval));
      expect(r.outBeats).toEqual(sums(xs));
      expect(r.streams[1]!.stalls, 'the bypass FIFO refuses beats').toBeGreaterThan(0);
      // a branch stalls its sibling: some handshake moves against the deep run
      expect(r.streamCycles).not.toEqual(deep.streamCycles);
      // with every node at one word per cycle there is no slack to hide it: outputs come later
      if (k.ii === 1) expect(r.outCycles.some((t, i) => t > deep.outCycles[i]!), 'some output later than with a deep bypass').toBe(true);
    });

    // Stalled, the bypass path holds the FIFO's words, DUP_DEPTH words in bnn_dup's branch 0 and
    // ADD_IN_DEPTH in bnn_add's a input; the long branch hands on nothing before it has L words.
    const dead = k.L - DUP_DEPTH - ADD_IN_DEPTH - 1;
    it(`L ${k.L}, frame ${k.F}, II ${k.ii}: a bypass FIFO of ${dead} (the path holds L - 1 words) deadlocks; the watchdog names the full bypass and the starved long branch`, () => {
      expect(dead).toBeLessThan(size().exact - 1);
      expect(run(dead + 1, paced(k.F, interval)).outBeats).toEqual(sums(xs));
      let err: unknown = null;
      const t0 = Date.now();
      try {
        run(dead, paced(k.F, interval));
      } catch (e) {
        err = e;
      }
      expect(Date.now() - t0, 'stopped in bounded time').toBeLessThan(10_000);
      expect(err).toBeInstanceOf(DiagnosticError);
      const d = (err as DiagnosticError).diagnostics[0]!;
      expect(d.code).toBe('BNN046');
      const [full, starved] = d.message.split('; starved');
      expect(full).toContain('dup.m0->bypass');
      expect(full).toContain('bypass->add.a');
      expect(full).not.toContain('long');
      expect(starved).toContain('long->add.b');
      expect(starved).toContain('dup.m1->long');
      expect(d.hint).toContain('bypass FIFO');
    });
  }

  it('a graph port wired twice or not at all is BNN047', () => {
    const g = residual({ L: 4, F: 4, ii: 1 }, 4);
    g.edges[3] = { ...g.edges[3]!, to: { node: 3, port: 0 } };
    try {
      simulateGraph(g, [[1]], 1, { patterns: stallPatterns(0, 0), watchdog: 100 });
      expect.unreachable();
    } catch (e) {
      expect((e as DiagnosticError).diagnostics[0]!.code).toBe('BNN047');
      expect((e as DiagnosticError).diagnostics[0]!.message).toContain('add input 0 is wired 2 times');
      expect((e as DiagnosticError).diagnostics[0]!.message).toContain('add input 1 is wired 0 times');
    }
  });
});

/** The chain engine's run of a planned design and the graph engine's run of the same blocks as a chain. */
function sameAsChain(c: { model: Model; plan: HwPlan }, seed: number, stall: number) {
  const codes = seededCodes(c.model, 3, seed);
  const xs = codes.flatMap((x) => inputBeats(c.plan, x));
  const nOut = 3 * c.plan.output.beats;
  const patterns = stallPatterns(stall, seed);
  // every other case feeds frames at a released rate (paced, as FIFO sizing does)
  const release = seed % 2 ? paced(c.plan.input.beats, c.plan.cyclesPerFrame + 3).release : undefined;
  const a = simulate(c.plan, xs, nOut, { patterns, traceStreams: true, traceData: true, engine: 'interpreted', ...(release ? { release } : {}) });
  const n = c.plan.blocks.length;
  const g: SimGraph = {
    nodes: c.plan.blocks.map((b) => asPortSim(blockSim(b, false))),
    edges: Array.from({ length: n - 1 }, (_, i) => ({ name: `s${i + 1}`, from: { node: i, port: 0 }, to: { node: i + 1, port: 0 } })),
    input: { node: 0, port: 0 },
    output: { node: n - 1, port: 0 },
  };
  const b = simulateGraph(g, xs, nOut, { patterns, watchdog: 100_000, traceStreams: true, traceData: true, ...(release ? { release } : {}) });
  expect(b.outBeats).toEqual(a.outBeats);
  expect(b.outCycles).toEqual(a.outCycles);
  expect(b.cycles).toBe(a.cycles);
  expect(b.inCount).toBe(a.inCount);
  expect(b.streamCycles).toEqual(a.streamCycles);
  expect(b.streamData).toEqual(a.streamData);
  b.streams.forEach((st, i) => {
    expect(st.beats).toBe(i < n ? a.busy[i]!.inBeats : a.busy[n - 1]!.outBeats);
    if (i > 0) expect(st.stalls).toBe(a.busy[i - 1]!.outStalls);
    if (i < n) expect(st.starves).toBe(a.busy[i]!.inStarves);
  });
}

describe('graph engine: a chain through asPortSim equals the chain engine', () => {
  const cases = randomPlans(6, 7);
  it.each(cases.map((c, k) => [c.seed, [0, 0.3, 0.5][k % 3]!, c] as const))('random model %i, stall %f', (seed, stall, c) => sameAsChain(c, seed, stall));
  it('TFC with FINN\'s folding, stall 0.3, input at a released rate', () => {
    const model = loadModelFile(join(ROOT, 'examples/tfc.json'));
    const { ir } = compileFront(model);
    sameAsChain({ model, plan: planOf(ir, readFolding(join(ROOT, 'bench/foldings/tfc.json'), ir)) }, 5, 0.3);
  });
});
