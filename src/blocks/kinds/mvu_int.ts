/**
 * mvu_int: the integer-input matrix-vector unit (templates/lib/bnn_mvu_int.v) of a first layer fed
 * with integer codes: +-x products of SIMD IN_W-bit inputs summed by an adder tree, accumulated over
 * SF cycles, then compared with a threshold (or sent out as the integer score).
 */
import type { MvuIntBlock } from '../types.js';
import { clog2 } from '../../util/math.js';
import { adderTreeRegs, mvuIntStructureParams } from '../popcount-plan.js';
import { empty, type EstimateOptions, type Features } from '../features.js';
import { bitplaneCounts, bitplaneLuts, xnorOffsetParam } from '../mvu-int-datapath.js';
import type { BlockKind } from '../kind.js';
import { MvuSim, mvuCommon, mvuLatencyOf, mvuNthr, mvuObufDepth, mvuComment, mvuCycles, mvuLayer, mvuMemories, mvuOutWidth, mvuParams, mvuPrint, mvuSteps, mvuWrapper, type MvuFf, type MvuLut } from './mvu-common.js';

export type MvuIntLut = MvuLut | 'neg' | 'tree' | 'bitplane' | 'xc_rom';
export type MvuIntFf = MvuFf | 'tree' | 'bitplane';

/** Accumulator, compare and what the two MVUs share. */
function mvuTail(b: MvuIntBlock, o: EstimateOptions, f: Features<MvuIntLut, MvuIntFf>): void {
  if (b.sf > 1) f.lut['acc'] = b.pe * b.accW;
  // one comparator per threshold: n per neuron with levels
  if (!b.scores) f.lut[b.nf === 1 ? 'cmp_const' : 'cmp'] = b.pe * mvuNthr(b) * Math.max(b.accW, b.tw);
  f.ff['acc'] = b.pe * b.accW;
  mvuCommon(b, b.simd * b.inW, o, f);
}

export const mvuInt: BlockKind<MvuIntBlock, MvuIntLut, MvuIntFf> = {
  kind: 'mvu_int',
  role: 'compute',
  unit: 'layer',
  keepHierarchy: false,
  search: 'layer',
  params: (b) =>
    mvuParams(b, [{ name: 'IN_W', value: b.inW }, { name: 'IN_SIGNED', value: b.signed ? 1 : 0 }], [
      ...mvuIntStructureParams(b.simd, b.popStages, b.datapath, b.inW, b.nf === 1 && b.sf === 1),
      ...(b.datapath === 'bitplane' ? [xnorOffsetParam(b.stage.weights, b.stage.mw, b.stage.mh, b.inW, b.signed, b.accW)] : []),
    ]),
  inWidth: (b) => b.simd * b.inW,
  outWidth: mvuOutWidth,
  wrapper: mvuWrapper,
  memories: mvuMemories,
  comment: (b, cycles) => mvuComment(b, `${b.inW}-bit ${b.datapath === 'bitplane' ? 'bit-plane' : 'add/subtract'}`, cycles),
  print: (b) => mvuPrint(b, ` IN_W=${b.inW}${b.signed ? ' signed' : ''}${b.datapath === 'bitplane' ? ' DATAPATH=bitplane' : ''}`),
  cycles: mvuCycles,
  steps: mvuSteps,
  layer: mvuLayer,
  latency: mvuLatencyOf,
  obufDepth: mvuObufDepth,
  sim: (b, timingOnly) => new MvuSim(b, timingOnly),
  /**
   * Add/subtract: +-x products summed by bnn_addtree (sum of node widths); bit-plane: the datapath's
   * structural LUT estimate at the constants of scripts/kdot-measure.mjs (blocks/mvu-int-datapath.ts)
   * and its pipeline flip-flops, each scaled by a calibrated constant, and its offset table (XC: ACC_W x
   * NF bits per PE); accumulator, compare.
   */
  features: (b, o) => {
    const f = empty<MvuIntLut, MvuIntFf>('mvu_int');
    const prw = b.inW + 1;
    const sumw = Math.min(prw + clog2(b.simd), b.accW);
    if (b.datapath === 'bitplane') {
      f.lut['bitplane'] = bitplaneLuts(b, o.fabric);
      f.ff['bitplane'] = bitplaneCounts(b).ff;
      // the accumulation's start value -C_j (parameter XC): per PE a constant table of ACC_W bits x NF
      // words indexed by the neuron fold. Yosys builds it as a mux tree over constants ($shiftx, not a
      // memory: LUTs + MUXF7 / MUXF8 on Xilinx) whose size grows with the table's bits, not as
      // romLogicLuts' 64 words per LUT6: 360 LUTs for CNV-W1A2 fc0 (NF 512, ACC_W 10), 0 with XC = 0
      if (b.nf > 1) f.lut['xc_rom'] = b.pe * b.accW * b.nf;
      mvuTail(b, o, f);
      return f;
    }
    // adder tree: node widths min(prw + level, sumw)
    let n = b.simd;
    let tree = 0;
    const treeRegs = adderTreeRegs(b.simd, b.popStages);
    let regs = treeRegs[0]! * prw;
    for (let l = 1; l < treeRegs.length; l++) {
      const pairs = Math.floor(n / 2);
      tree += pairs * Math.min(prw + l, sumw);
      n = Math.ceil(n / 2);
      regs += treeRegs[l]! * n * Math.min(prw + l, sumw);
    }
    f.lut['neg'] = b.pe * b.simd * prw;
    f.lut['tree'] = b.pe * tree;
    f.ff['tree'] = b.pe * regs;
    mvuTail(b, o, f);
    return f;
  },
  finn: (b) => ({ mw: b.stage.mw, mh: b.stage.mh, pe: b.pe, simd: b.simd, a: b.inW, signedInput: b.signed }),
};
