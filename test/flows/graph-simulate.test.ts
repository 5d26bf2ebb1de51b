/**
 * The graph flows (issue 13): planGraphDesign sizes the bypass FIFOs and times the design, and
 * simulate runs the planned graph's cycle models with every output checked against the graph integer
 * engine: the examples and seeded random residual graphs, with and without backpressure.
 */
import { describe, expect, it } from 'vitest';
import { loadModelFile, loadModelValue } from '../../src/frontend/load.js';
import { graphTiming, planGraphDesign } from '../../src/flows/graph-build.js';
import { simulateGraphModel } from '../../src/flows/graph-simulate.js';
import { expectedGraphOutputs } from '../../src/flows/graph-expected.js';
import { inferGraphInteger } from '../../src/reference/graph-integer.js';
import { seededCodes } from '../../src/flows/expected.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { randomGraphFold as randomFold, randomGraphJson } from '../../src/examples/random-graphs.js';
import { Prng } from '../../src/util/prng.js';
import { graphFront } from '../../src/passes/graph-front.js';
import { divisors, simdChoices } from '../../src/passes/folding.js';
import type { Model } from '../../src/ir/model.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mlp = loadModelFile('examples/residual_mlp.json');
const mlpFold = { layers: { stem: { pe: 8, simd: 49 }, fc0: { pe: 4, simd: 8 }, fc1: { pe: 2, simd: 16 }, fc2: { pe: 4, simd: 4 }, classifier: { pe: 2, simd: 8 } } };

describe('residual_mlp', () => {
  it('runs at its slowest node; every bypass FIFO is sized and says where its depth comes from', () => {
    const { plan, timing } = planGraphDesign(mlp, { fold: mlpFold });
    // stem: 784 / 49 x 64 / 8 = 128 cycles; fc2: 64 / 4 x 64 / 4 = 256 cycles, the slowest
    expect(plan.cyclesPerFrame).toBe(256);
    expect(timing.cyclesPerFrame).toBe(256);
    expect(plan.bypass.map((b) => b.add)).toEqual(['res0', 'res1', 'res2']);
    for (const b of plan.bypass) {
      expect(b.depth).toBe(b.exact + 1);
      expect(b.origin).toMatch(/^peak \d+ words .* while fc\d works on them, \+ 1 slack$/);
    }
  });

  it('a bypass FIFO far below its sized depth: the watchdog stops the run and names it full (BNN046)', () => {
    const { plan } = planGraphDesign(mlp, { fold: mlpFold });
    const b = plan.bypass[2]!;
    const shrunk = { ...plan, nodes: plan.nodes.map((n, i) => (i === b.node && n.kind === 'edge' ? { ...n, block: { ...n.block, depth: 2 } } : n)) };
    expect(() => graphTiming(shrunk)).toThrow(/BNN046.*full \(valid, not ready\):.*res2_bypass_to_res2_b_cvt.*starved/);
    expect(graphTiming(plan).cyclesPerFrame).toBe(256);
  });

  it('simulate: 0 mismatches against the graph integer engine, also with backpressure', () => {
    for (const stall of [0, 0.3]) {
      const r = simulateGraphModel(mlp, { fold: mlpFold, vectors: 6, seed: 3, stall });
      expect(r.mismatches).toBe(0);
      expect(r.outputs).toEqual(seededCodes(mlp, 6, 3).map((c) => inferGraphInteger(mlp, c)));
      if (stall === 0) expect(r.cyclesPerFrame).toBe(256);
    }
  });

  it('expected outputs in the shape flows/expected.ts gives: labels from the graph integer engine, the integer scores streamed', () => {
    const { plan } = planGraphDesign(mlp, { fold: mlpFold });
    const codes = seededCodes(mlp, 2, 9);
    const e = expectedGraphOutputs(plan, codes);
    expect(e.outputs).toEqual(codes.map((c) => inferGraphInteger(mlp, c)));
    // the label is the index of the largest integer score (no trailing bias or batchnorm after the classifier)
    expect(e.scores.map((s) => s.indexOf(Math.max(...s)))).toEqual(e.outputs);
  });

  it('the graph flows refuse what they do not do yet with a coded diagnostic', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof DiagnosticError ? e.diagnostics[0]!.code : String(e);
      }
      return 'none';
    };
    expect(code(() => planGraphDesign(mlp, { maxFps: true, device: 'xc7z020' }))).toBe('BNN043');
  });
});

describe('random residual graphs', () => {
  it('plan and simulate with 0 mismatches against the graph integer engine (refused forms are BNN040)', () => {
    const seen = { mapped: 0, refused: 0, adds: 0, gaps: 0 };
    for (let seed = 1; seed <= 150; seed++) {
      const m = loadModelValue(randomGraphJson(seed, { mappable: true }));
      let fold;
      try {
        fold = randomFold(m, seed);
        planGraphDesign(m, { fold });
      } catch (e) {
        if (e instanceof DiagnosticError && e.diagnostics[0]!.code === 'BNN040') {
          seen.refused++;
          continue;
        }
        throw e;
      }
      seen.mapped++;
      if (m.layers.some((l) => l.type === 'add')) seen.adds++;
      if (m.layers.some((l) => l.type === 'globalavgpool')) seen.gaps++;
      const r = simulateGraphModel(m, { fold, vectors: 3, seed, stall: seed % 2 ? 0.3 : 0 });
      expect(r.mismatches, `seed ${seed}`).toBe(0);
    }
    console.log(seen);
    expect(seen.adds).toBeGreaterThan(10);
  });
});

/** birealnet_small with its avgpool shortcut replaced by a strided 1x1 binary conv + quant (the FINN form). */
function birealConvShortcut(): Model {
  const json = JSON.parse(readFileSync('examples/birealnet_small.json', 'utf8')) as { layers: Record<string, unknown>[] };
  const at = json.layers.findIndex((l) => l['name'] === 'b2_pool');
  const rng = new Prng(7);
  const weights = Array.from({ length: 16 }, () => [[Array.from({ length: 16 }, () => (rng.bool() ? 1 : -1))]]);
  json.layers.splice(at, 1,
    { type: 'sign', name: 'b2_ssign', inputs: ['b1_add'] },
    { type: 'conv2d', name: 'b2_short', filters: 16, kernel: [1, 1], strides: [2, 2], weights },
    { type: 'quant', name: 'b2_sq', bits: 2, signed: true, narrow: true, scale: 4 },
  );
  json.layers.find((l) => l['name'] === 'b2_add')!['inputs'] = ['b2_act', 'b2_sq'];
  return loadModelValue(json);
}

describe('birealnet_small', () => {
  it('the example: its avgpool shortcut is a window sum on an edge, aligned by SHIFT 2 (scale 1/4 against 1); 0 mismatches with backpressure', () => {
    const m = loadModelFile('examples/birealnet_small.json');
    const fold = 'bench/foldings/birealnet_small.json';
    const { plan } = planGraphDesign(m, { fold });
    const pool = plan.nodes.find((n) => n.kind === 'edge' && n.role === 'shortcut');
    expect(pool && pool.kind === 'edge' && pool.block.kind === 'pool' ? [pool.block.name, pool.block.params.SUM, pool.block.params.KH, pool.block.params.SH] : null).toEqual(['b2_pool', 1, 2, 2]);
    const add = plan.nodes.find((n) => n.kind === 'port' && n.block.name === 'b2_add');
    expect(add && add.kind === 'port' && add.block.kind === 'add' ? add.block.params.SHIFT : null).toBe(2);
    const r = simulateGraphModel(m, { fold, vectors: 3, seed: 9, stall: 0.3 });
    expect(r.mismatches).toBe(0);
    expect(r.outputs).toEqual(seededCodes(m, 3, 9).map((c) => inferGraphInteger(m, c)));
  });

  it('with a strided 1x1 conv shortcut: plan and simulate with 0 mismatches, with and without backpressure', () => {
    const m = birealConvShortcut();
    const fold = { layers: { stem: { pe: 4, simd: 3 }, b0_conv: { pe: 4, simd: 16 }, b1_conv: { pe: 4, simd: 16 }, b2_conv: { pe: 4, simd: 4 }, b2_short: { pe: 2, simd: 4 }, b3_conv: { pe: 2, simd: 16 }, b4_conv: { pe: 2, simd: 16 }, fc: { pe: 2, simd: 4 } } };
    const { plan, timing } = planGraphDesign(m, { fold });
    const kinds = plan.nodes.map((n) => (n.kind === 'segment' ? 'segment' : n.kind === 'port' ? n.block.kind : n.role));
    expect(kinds.filter((k) => k === 'add')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'gap')).toHaveLength(1);
    // identity shortcuts: b0, b1, b3, b4; the downsampling block's two branches both get one
    expect(plan.bypass.map((b) => b.add)).toEqual(['b0_add', 'b1_add', 'b2_add', 'b2_add', 'b3_add', 'b4_add']);
    expect(plan.bypass[0]!.origin).toMatch(/b0_sign \(whose window needs 3 rows\)/);
    expect(timing.cyclesPerFrame).toBe(plan.cyclesPerFrame);
    for (const stall of [0, 0.3]) {
      const r = simulateGraphModel(m, { fold, vectors: 3, seed: 5, stall });
      expect(r.mismatches).toBe(0);
      expect(r.outputs).toEqual(seededCodes(m, 3, 5).map((c) => inferGraphInteger(m, c)));
    }
  });
});

describe('a sign stream into an add (bipolar operand of bnn_add)', () => {
  const w = (rows: number, cols: number, seed: number) => {
    const r = new Prng(seed);
    return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (r.bool() ? 1 : -1)));
  };
  // q0 (2-bit codes, scale 1) fans out; one branch ends in a sign (+-1, scale 1); the add sums +-1 and the codes
  const model = loadModelValue({
    format: 'bnn-hw/model@1', name: 'sign_add', input: { shape: [8], type: 'int4' }, output: 'argmax',
    layers: [
      { type: 'sign', name: 's' }, { type: 'dense', name: 'a', units: 8, weights: w(8, 8, 1) },
      { type: 'quant', name: 'q0', bits: 2, signed: true, narrow: true, scale: 1 },
      { type: 'dense', name: 'b', units: 8, weights: w(8, 8, 2) }, { type: 'sign', name: 's2' },
      { type: 'add', name: 'sum', inputs: ['s2', 'q0'] },
      { type: 'dense', name: 'out', units: 4, weights: w(4, 8, 3) },
    ],
  });
  it('plans bnn_add with A_BIPOLAR on the sign operand and simulates with 0 mismatches against the graph integer engine', () => {
    const { plan } = planGraphDesign(model, { fold: { layers: [{ pe: 2, simd: 4 }, { pe: 4, simd: 8 }, { pe: 2, simd: 4 }] } });
    const add = plan.nodes.find((n) => n.kind === 'port' && n.block.kind === 'add');
    expect(add && add.kind === 'port' && add.block.kind === 'add' ? add.block.params : null).toMatchObject({ A_W: 1, A_BIPOLAR: 1, B_W: 2, B_SIGNED: 1, SHIFT: 0 });
    for (const stall of [0, 0.3]) {
      const r = simulateGraphModel(model, { fold: { layers: [{ pe: 2, simd: 4 }, { pe: 4, simd: 8 }, { pe: 2, simd: 4 }] }, vectors: 16, seed: 3, stall });
      expect(r.mismatches).toBe(0);
      expect(r.outputs).toEqual(seededCodes(model, 16, 3).map((c) => inferGraphInteger(model, c)));
    }
  });
});

describe('simulate --vcd on a graph', () => {
  it('dumps every stream under its RTL path; the output handshakes in the dump are the frames simulated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-graph-vcd-'));
    try {
      const file = join(dir, 'g.vcd');
      const r = simulateGraphModel(mlp, { fold: mlpFold, vectors: 3, seed: 2, stall: 0.3, vcd: file });
      expect(r.mismatches).toBe(0);
      const text = readFileSync(file, 'utf8');
      const vars = new Map([...text.matchAll(/\$var wire \d+ (\S+) (\S+)/g)].map((m) => [m[2]!, m[1]!]));
      // the bypass FIFOs' wires of the graph top and a segment's inner stream
      expect([...vars.keys()].some((n) => /_bypass.*_tvalid$/.test(n))).toBe(true);
      expect(text).toMatch(/\$scope module u_seg_fc0 \$end/);
      // count the output handshakes: m_tvalid and m_tready both 1 at a rising clock edge
      const [clk, v, rd] = ['clk', 'm_tvalid', 'm_tready'].map((n) => vars.get(n)!);
      const val = new Map<string, string>();
      let hs = 0;
      for (const line of text.slice(text.indexOf('$enddefinitions')).split('\n')) {
        const m = /^([01xz])(\S+)$/.exec(line);
        if (!m) continue;
        if (m[2] === clk && m[1] === '1' && val.get(v!) === '1' && val.get(rd!) === '1') hs++;
        val.set(m[2]!, m[1]!);
      }
      expect(hs).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--dump-after on a graph', () => {
  it('load, segment and fold-thresholds print the model, the graph split and each segment\'s integer IR', () => {
    const text = (after: 'load' | 'segment' | 'fold-thresholds') => {
      let t = '';
      planGraphDesign(mlp, { fold: mlpFold, sizeFifos: false }, { after, out: (s) => (t += s) });
      return t;
    };
    expect(text('load')).toMatch(/^model residual_mlp input \[784\] uint8 output argmax/);
    const seg = text('segment');
    expect(seg).toContain('segment fc0 <- stem_act: fc0 bn0 act0');
    expect(seg).toContain('add res1 <- act1 res0');
    expect(text('fold-thresholds')).toMatch(/segment classifier <- res2:\nir residual_mlp_classifier input \[64\]/);
  });
});

describe('bypass placement: parallel branches whose output also fans out', () => {
  const w = (rows: number, cols: number, seed: number) => {
    const r = new Prng(seed);
    return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (r.bool() ? 1 : -1)));
  };
  const q = (name: string) => ({ type: 'quant', name, bits: 2, signed: true, narrow: true, scale: 1 });
  // q0 fans out to two parallel branches u and v; u is also read by a second add: u is a fan-out tensor,
  // but neither branch passes through the other, so both inputs of "r" get a bypass FIFO
  const model = loadModelValue({
    format: 'bnn-hw/model@1', name: 'par', input: { shape: [8], type: 'int4' }, output: 'argmax',
    layers: [
      { type: 'sign', name: 's' }, { type: 'dense', name: 'a', units: 8, weights: w(8, 8, 1) }, q('q0'),
      { type: 'dense', name: 'b', units: 8, weights: w(8, 8, 2) }, q('u'),
      { type: 'dense', name: 'c', units: 8, weights: w(8, 8, 3), inputs: ['q0'] }, { type: 'batchnorm', name: 'cbn', gamma: Array(8).fill(1), beta: Array(8).fill(0.5), mean: Array(8).fill(0), variance: Array(8).fill(1), epsilon: 1e-3 }, q('v'),
      { type: 'add', name: 'r', inputs: ['u', 'v'] },
      { type: 'add', name: 'r2', inputs: ['r', 'u'] },
      { type: 'dense', name: 'out', units: 4, weights: w(4, 8, 4) },
    ],
  });
  const fold = { layers: [{ pe: 2, simd: 4 }, { pe: 1, simd: 2 }, { pe: 8, simd: 8 }, { pe: 2, simd: 4 }] };
  it('gives both inputs of the add of two parallel branches a bypass FIFO, and the identity shortcut of r2 one; 0 mismatches with backpressure', () => {
    const { plan } = planGraphDesign(model, { fold });
    expect(plan.bypass.map((b) => b.add)).toEqual(['r', 'r', 'r2']);
    for (const stall of [0, 0.3]) {
      const r = simulateGraphModel(model, { fold, vectors: 12, seed: 4, stall });
      expect(r.mismatches).toBe(0);
      expect(r.outputs).toEqual(seededCodes(model, 12, 4).map((c) => inferGraphInteger(model, c)));
    }
  });
});

describe('segment FIFO sizing inside a graph', () => {
  it('when the chain-sized segment FIFOs make the graph miss its rate, the planner depths stay and a BNN111 note says so', () => {
    const { plan, timing, notes } = planGraphDesign(mlp, { fold: mlpFold });
    expect(timing.cyclesPerFrame).toBe(plan.cyclesPerFrame);
    expect(notes.map((d) => d.code)).toEqual(['BNN111']);
    expect(notes[0]!.message).toMatch(/misses its planned \d+ cycles per frame/);
    // with the example's bench folding the chain-sized segments keep the rate: no note
    expect(planGraphDesign(mlp, { fold: 'bench/foldings/residual_mlp.json' }).notes).toEqual([]);
  });
});

describe('simulate report on a graph', () => {
  it('a segment is as busy as its busiest block: at the planned rate the slowest segments compute every cycle of a frame', () => {
    const fold = 'bench/foldings/birealnet_small.json';
    const m = loadModelFile('examples/birealnet_small.json');
    const frames = 6;
    const r = simulateGraphModel(m, { fold, vectors: frames, seed: 1, stall: 0 });
    // 2304 cycles per frame = the 3x3 convs' steps per frame: they compute frames * 2304 of the run's cycles
    const want = Number(((100 * frames * 2304) / r.cycles).toFixed(1));
    const seg = (n: string) => r.layers.find((l) => l.name === n)!;
    for (const n of ['b0_sign', 'b1_sign', 'b2_sign', 'b3_sign', 'b4_sign']) expect(seg(n).busy, n).toBe(want);
    // the classifier after the global pool takes one step per frame
    expect(seg('fc').busy).toBeLessThan(1);
  });
});
