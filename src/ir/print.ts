/**
 * Stable text forms of the normalised model and the integer IR, for `--dump-after` and for
 * text-in / text-out pass tests. Weights are summarised by their count of +1 bits and an FNV-1a hash.
 */
import type { Layer, Model, Shape } from './model.js';
import { inputTypeText } from './model.js';
import { readsPrevious } from './graph.js';
import type { IrModel, IrStage } from './types.js';

export function fnv1a(bytes: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]! & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const sh = (s: Shape) => `[${s.join(',')}]`;
const nums = (a: ArrayLike<number>) => Array.from(a, (v) => String(v)).join(' ');
const ones = (a: Uint8Array) => {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += a[i]!;
  return n;
};

function layerLine(l: Layer, i: number, layers: readonly Layer[]): string {
  const reads = readsPrevious(layers, i) ? '' : ` (${l.inputs.join(', ')})`;
  const head = `${l.name} = ${l.type}${reads} ${sh(l.inShape)} -> ${sh(l.outShape)}`;
  switch (l.type) {
    case 'dense':
      return `${head} weights=${ones(l.weights)}/${l.weights.length}:${fnv1a(l.weights)}${l.bias ? ` bias=${nums(l.bias)}` : ''}`;
    case 'conv2d':
      return (
        `${head} kernel=${l.kernel.join('x')} strides=${l.strides.join('x')} pad=${l.pad.top},${l.pad.bottom},${l.pad.left},${l.pad.right} ` +
        `padValue=${l.padValue} weights=${ones(l.weights)}/${l.weights.length}:${fnv1a(l.weights)}${l.bias ? ` bias=${nums(l.bias)}` : ''}`
      );
    case 'batchnorm':
      return `${head} eps=${l.epsilon}\n  gamma=${nums(l.gamma)}\n  beta=${nums(l.beta)}\n  mean=${nums(l.mean)}\n  variance=${nums(l.variance)}`;
    case 'affine':
      return `${head}\n  scale=${nums(l.scale)}\n  bias=${nums(l.bias)}`;
    case 'quant':
      return `${head} bits=${l.bits} ${l.signed ? 'signed' : 'unsigned'}${l.narrow ? ' narrow' : ''} scale=${l.scale}`;
    case 'multithreshold':
      return `${head} rows=${l.rows} n=${l.n} outScale=${l.outScale} outBias=${l.outBias}\n  thresholds=${nums(l.thresholds)}`;
    case 'maxpool':
    case 'avgpool':
      return `${head} pool=${l.pool.join('x')} strides=${l.strides.join('x')}`;
    default:
      return head;
  }
}

export function printModel(m: Model): string {
  return [`model ${m.name} input ${sh(m.input.shape)} ${inputTypeText(m.input.type)} output ${m.output}`, ...m.layers.map((l, i) => layerLine(l, i, m.layers))].join('\n') + '\n';
}

function stageLines(s: IrStage): string[] {
  switch (s.op) {
    case 'binarize':
      if (s.levels) {
        const n = s.levels.n;
        return [`${s.name} = quantize ${sh(s.shape)} period=${s.period} codes=${s.levels.min}..${s.levels.min + n}`, `  thr=${Array.from(s.thr, (t, i) => (s.dir[Math.floor(i / n)]! > 0 ? `>=${t}` : `<=${t}`)).join(' ')}`];
      }
      return [`${s.name} = binarize ${sh(s.shape)} period=${s.period}`, `  thr=${Array.from(s.thr, (t, i) => (s.dir[i]! > 0 ? `>=${t}` : `<=${t}`)).join(' ')}`];
    case 'pool':
      return [`${s.name} = pool ${sh(s.inShape)} -> ${sh(s.outShape)} pool=${s.pool.join('x')} strides=${s.strides.join('x')}`, `  mode=${Array.from(s.and, (a) => (a ? 'and' : 'or')).join(' ')}`];
    case 'flatten':
      return [`${s.name} = flatten ${sh(s.inShape)} -> ${sh(s.outShape)}`];
    case 'linear': {
      const c = s.conv;
      const geo = c ? ` kernel=${c.kernel.join('x')} strides=${c.strides.join('x')} pad=${c.pad.top},${c.pad.bottom},${c.pad.left},${c.pad.right} padCode=${c.padCode}` : '';
      const lines = [
        `${s.name} = ${s.kind} ${s.input} ${sh(s.inShape)} -> ${sh(s.outShape)} mw=${s.mw} mh=${s.mh} dMax=${s.dMax}${geo}`,
        `  weights=${ones(s.weights)}/${s.weights.length}:${fnv1a(s.weights)} flipped=${ones(s.flip)}`,
      ];
      if (s.thr) lines.push(`  thr(d>=)=${nums(s.thr)}`);
      if (s.levels) lines.push(`  codes=${s.levels.min}..${s.levels.min + s.levels.n} thr(d>=)=${nums(s.levels.thr)}`);
      if (s.inOffset) lines.push(`  input offset ${s.inOffset.offset}: s2=${nums(s.inOffset.s2)}`);
      if (s.post) {
        lines.push(`  scores: d*${s.scale}${s.post.bias ? ' + bias' : ''}${s.post.ops.map((o) => ` -> ${o.type}(${o.name})`).join('')}`);
      }
      return lines;
    }
  }
}

export function printIr(ir: IrModel): string {
  return [`ir ${ir.name} input ${sh(ir.input.shape)} ${inputTypeText(ir.input.type)} output ${ir.output}`, ...ir.stages.flatMap(stageLines)].join('\n') + '\n';
}
