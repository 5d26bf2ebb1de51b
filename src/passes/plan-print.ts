/** Stable text form of a planned design, for `--dump-after plan`. */
import type { HwBlock } from '../blocks/types.js';
import type { HwPlan } from './plan.js';

function blockLine(b: HwBlock): string {
  switch (b.kind) {
    case 'thresh_in':
      return `${b.name}: thresh_in PE=${b.pe} IN_W=${b.inW}${b.signed ? ' signed' : ''} TDEPTH=${b.tdepth} TW=${b.tw} OBUF=${b.obufDepth}`;
    case 'mvtu':
    case 'mvu_int':
      return (
        `${b.name}: ${b.kind} MW=${b.stage.mw} MH=${b.stage.mh} PE=${b.pe} SIMD=${b.simd} SF=${b.sf} NF=${b.nf} POP_STAGES=${b.popStages}` +
        `${b.kind === 'mvu_int' ? ` IN_W=${b.inW}${b.signed ? ' signed' : ''}` : ''}${b.kind === 'mvtu' && b.masked ? ' MASKED' : ''}` +
        ` ${b.scores ? `SCORES ACC_W=${b.accW}` : `TW=${b.tw}`} OBUF=${b.obufDepth}`
      );
    case 'dwc':
      return `${b.name}: dwc ${b.inW} -> ${b.outW}`;
    case 'fifo':
      return `${b.name}: fifo ${b.depth} x ${b.width}`;
    case 'argmax':
      return `${b.name}: argmax PE=${b.pe} NF=${b.nf} CLASSES=${b.classes} SCORE_W=${b.scoreW}${b.rank ? ` RANK_W=${b.rank.rankW} NVALS=${b.rank.nvals}` : ''} OBUF=${b.obufDepth}`;
    case 'swg':
    case 'pool':
      return `${b.name}: ${b.kind} ${Object.entries(b.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('') : String(v)}`).join(' ')}`;
  }
}

export function printPlan(p: HwPlan): string {
  const fmt = (s: { lanes: number; laneW: number; signed: boolean; beats: number }) => `${s.beats} beats x ${s.lanes} x ${s.laneW}${s.signed ? 's' : 'u'}`;
  return [`plan ${p.name} top ${p.top} cyclesPerFrame=${p.cyclesPerFrame}`, `input ${fmt(p.input)}`, ...p.blocks.map(blockLine), `output ${p.output.kind} ${fmt(p.output)}`].join('\n') + '\n';
}
