/**
 * thresh_in: the input binarisation (templates/lib/bnn_thresh_in.v): PE integer input elements per
 * beat compared with per-element thresholds from a ROM (direction bit + TW-bit threshold); with levels
 * (a k-bit input quantiser) n thresholds per element compared in parallel, k-bit codes out.
 */
import type { ThreshInBlock } from '../types.js';
import { prod } from '../../ir/model.js';
import { clog2 } from '../../util/math.js';
import { type Beat, CreditSim } from '../sim-base.js';
import { threshInMem } from '../memfiles.js';
import { addRomFeatures, aw, empty, fifoFeatures, romUse, type RomFf, type RomLut } from '../features.js';
import type { BlockKind } from '../kind.js';
import { THRESH_IN_LATENCY } from '../timing.js';
import { codeBits, levelParams } from '../levels.js';

export type ThreshInLut = 'ctl' | 'cmp' | 'cmp_const' | 'lvl_enc' | RomLut<'trom'>;
export type ThreshInFf = 'ctl' | 'x' | RomFf<'trom'>;

const q = (s: string) => `"${s}"`;
const latency = (): number => THRESH_IN_LATENCY;
const obufDepth = (b: ThreshInBlock): number => b.obufDepth;
/** input beats per frame: every one is a step */
const frameBeats = (b: ThreshInBlock): number => prod(b.stage.shape) / b.pe;
/** thresholds per element and bits per ROM lane ({dir, n thresholds}) */
const nthr = (b: ThreshInBlock): number => (b.levels ? b.levels.n : 1);
const laneBits = (b: ThreshInBlock): number => nthr(b) * b.tw + 1;

export const threshIn: BlockKind<ThreshInBlock, ThreshInLut, ThreshInFf> = {
  kind: 'thresh_in',
  role: 'compute',
  unit: 'layer',
  keepHierarchy: false,
  search: 'next',
  params: (b, rom) => [
    { name: 'PE', value: b.pe }, { name: 'IN_W', value: b.inW }, { name: 'IN_SIGNED', value: b.signed ? 1 : 0 },
    { name: 'TDEPTH', value: b.tdepth }, { name: 'TW', value: b.tw }, ...levelParams(b.levels), { name: 'OBUF_DEPTH', value: obufDepth(b) },
    { name: 'TFILE', value: q(rom('thresholds')) },
  ],
  inWidth: (b) => b.pe * b.inW,
  outWidth: (b) => b.pe * codeBits(b.levels),
  wrapper: () => ({ wires: [], assigns: [], instances: [], ports: [] }),
  memories: (b) => [{ rom: 'thresholds', image: () => threshInMem(b) }],
  comment: (b) => `input ${b.levels ? `quantisation to ${b.levels.w}-bit codes` : 'binarisation'} "${b.name}": ${b.pe} elements/beat, ${b.stage.period} threshold classes`,
  print: (b) => `${b.name}: thresh_in PE=${b.pe} IN_W=${b.inW}${b.signed ? ' signed' : ''} TDEPTH=${b.tdepth} TW=${b.tw}${b.levels ? ` NTHR=${b.levels.n} OUT_BITS=${b.levels.w} OUT_MIN=${b.levels.min}` : ''} OBUF=${b.obufDepth}`,
  cycles: frameBeats,
  steps: (_b, n) => n.inBeats,
  layer: (b) => ({ pe: b.pe, simd: b.pe, mw: b.stage.period, mh: b.stage.period, cycles: frameBeats(b) }),
  latency,
  obufDepth,
  sim: (b) => new ThreshInSim(b),
  /** per-lane signed compare against a threshold ROM (n compares and the level encoder with levels). */
  features: (b, o) => {
    const f = empty<ThreshInLut, ThreshInFf>('thresh_in');
    const cw = Math.max(b.inW, b.tw) + 1;
    f.lut['ctl'] = aw(b.tdepth) + clog2(b.obufDepth + 1);
    // one threshold word: compare against constants (folds into the lane logic)
    f.lut[b.tdepth === 1 ? 'cmp_const' : 'cmp'] = b.pe * nthr(b) * cw;
    if (b.levels) f.lut['lvl_enc'] = b.pe * b.levels.n;
    f.ff['ctl'] = aw(b.tdepth) + clog2(b.obufDepth + 1) + 1;
    f.ff['x'] = b.pe * b.inW;
    addRomFeatures(o.fabric, romUse(o.fabric, b.pe * laneBits(b), b.tdepth, () => threshInMem(b)), 'trom', f);
    f.nested.push(fifoFeatures(b.pe * codeBits(b.levels), b.obufDepth, o.fabric));
    return f;
  },
  finn: null,
};

export class ThreshInSim extends CreditSim {
  private taddr = 0;
  constructor(private b: ThreshInBlock) {
    super(b.name, obufDepth(b), latency());
  }
  sReady(): boolean {
    return this.creditOk();
  }
  protected fire(_c: number, sValid: boolean, sData: Beat | null) {
    if (!(sValid && this.creditOk())) return null;
    const { stage, pe } = this.b;
    const out = new Array<number>(pe);
    const period = stage.period;
    let e = (this.taddr * pe) % period;
    const lv = stage.levels;
    for (let k = 0; k < pe; k++, e = e + 1 === period ? 0 : e + 1) {
      const x = sData![k]!;
      if (lv) {
        // code = min + the thresholds reached (n in parallel in the RTL)
        let c = lv.min;
        for (let l = e * lv.n; l < (e + 1) * lv.n; l++) if (stage.dir[e]! > 0 ? x >= stage.thr[l]! : x <= stage.thr[l]!) c++;
        out[k] = c;
      } else out[k] = (stage.dir[e]! > 0 ? x >= stage.thr[e]! : x <= stage.thr[e]!) ? 1 : 0;
    }
    this.taddr = this.taddr === this.b.tdepth - 1 ? 0 : this.taddr + 1;
    return out;
  }
}
