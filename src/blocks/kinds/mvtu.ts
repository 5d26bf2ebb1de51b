/**
 * mvtu: the binary matrix-vector-threshold unit (templates/lib/bnn_mvtu.v): XNOR-popcount of SIMD
 * input bits against PE weight rows per cycle, accumulated over SF cycles, then compared with a
 * threshold (or sent out as the integer score 2p - MW of the last layer).
 */
import type { MvtuBlock } from '../types.js';
import { clog2 } from '../../util/math.js';
import { mvtuStructureParams, popcountPlan, popcountRegBits } from '../popcount-plan.js';
import { empty } from '../features.js';
import type { BlockKind } from '../kind.js';
import { MvuSim, mvuCommon, mvuLatencyOf, mvuNthr, mvuObufDepth, mvuComment, mvuCycles, mvuLayer, mvuMemories, mvuOutWidth, mvuParams, mvuPrint, mvuSteps, mvuWrapper, type MvuFf, type MvuLut } from './mvu-common.js';

export type MvtuLut = MvuLut | 'pop' | 'pop_const' | 'cpa' | 'pop_lvl' | 'score';
export type MvtuFf = MvuFf | 'pop';

export const mvtu: BlockKind<MvtuBlock, MvtuLut, MvtuFf> = {
  kind: 'mvtu',
  role: 'compute',
  unit: 'layer',
  keepHierarchy: false,
  search: 'layer',
  params: (b) => mvuParams(b, [], [...(b.masked ? [{ name: 'MASKED', value: 1 }] : []), ...mvtuStructureParams(b.simd, b.nf, b.sf, b.popStages)]),
  inWidth: (b) => b.simd,
  outWidth: mvuOutWidth,
  wrapper: mvuWrapper,
  memories: mvuMemories,
  comment: (b, cycles) => mvuComment(b, 'XNOR-popcount', cycles),
  print: (b) => mvuPrint(b, b.masked ? ' MASKED' : ''),
  cycles: mvuCycles,
  steps: mvuSteps,
  layer: mvuLayer,
  latency: mvuLatencyOf,
  obufDepth: mvuObufDepth,
  sim: (b, timingOnly) => new MvuSim(b, timingOnly),
  /** XNOR-popcount compressor (popcount-plan.ts counts its LUT6 outputs), accumulator, threshold compare. */
  features: (b, o) => {
    const f = empty<MvtuLut, MvtuFf>('mvtu');
    const constW = b.nf === 1 && b.sf === 1;
    const p = popcountPlan(b.simd, constW);
    const pw = clog2(b.stage.mw + 1);
    const accW = b.masked ? pw + 1 : pw;
    const cntW = clog2(b.simd + 1);
    f.lut[constW ? 'pop_const' : 'pop'] = b.pe * (p.faLuts + p.counterLuts);
    f.lut['cpa'] = b.pe * p.cpaBits;
    // compressor levels per lane: each level's partial counts are re-aligned / carried between levels
    f.lut['pop_lvl'] = b.pe * p.levels;
    // with SF = 1 every step is the first: the accumulator register just loads the count
    if (b.sf > 1) f.lut['acc'] = b.pe * accW;
    // NF = 1: one threshold word, a constant: compare against constants
    // scores: 2*acc - MW per lane; the low tz(MW) bits of the difference are wiring, the rest subtract
    let tz = 0;
    while (tz < 31 && ((b.stage.mw >> tz) & 1) === 0) tz++;
    // one comparator per threshold: n per neuron with levels
    f.lut[b.scores ? 'score' : b.nf === 1 ? 'cmp_const' : 'cmp'] = b.pe * (b.scores ? Math.max(0, b.accW - tz) : mvuNthr(b) * Math.max(accW, b.tw));
    f.ff['pop'] = b.pe * popcountRegBits(p, b.popStages, cntW);
    f.ff['acc'] = b.pe * accW;
    mvuCommon(b, b.simd + (b.masked ? 1 : 0), o, f);
    return f;
  },
  finn: (b) => ({ mw: b.stage.mw, mh: b.stage.mh, pe: b.pe, simd: b.simd, a: 1, signedInput: true }),
};

