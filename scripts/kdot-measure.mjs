#!/usr/bin/env node
/**
 * Measures the two datapaths of bnn_mvu_int (templates/lib/bnn_intdot.v: DATAPATH 0 add/subtract,
 * 1 bit-plane) alone, in a register-bounded harness (registered codes and streamed weights in,
 * registered PE sums out), with synth_xilinx: LUT6 per (weight bit x activation bit) product and
 * the LUT depth between registers. The structure parameters are the compiler's
 * (mvuIntStructureParams, POP_STAGES = popStagesFor(SIMD)), so the harness is what a layer gets.
 *
 *   npm run build
 *   nice node scripts/kdot-measure.mjs [--k 2,3,4,8] [--simd 32,64,128,256] [--pe 4] [--signed 0,1]
 *       [--dp 0,1] [--jobs 1] [--out build/kdot/results.json]
 *
 * Prints one line per point and a Markdown table (docs/kbit-datapath.md); results are cached in the
 * --out file by point (delete it to measure again). Not part of `npm test`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool } from '../dist/flows/tools.js';
import { parseStatJson, countCells, lutDepth, yosysVersion } from '../dist/flows/synth.js';
import { mvuIntStructureParams } from '../dist/blocks/popcount-plan.js';
import { popStagesFor } from '../dist/passes/plan.js';
import { intdotDepthBound } from '../dist/estimate/popcount.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
/** @param {string} k @param {string} d */
const opt = (k, d) => {
  const i = args.indexOf(k);
  return i >= 0 ? /** @type {string} */ (args[i + 1]) : d;
};
/** @param {string} s */
const nums = (s) => s.split(',').map(Number);
const KS = nums(opt('--k', '2,3,4,8'));
const SIMDS = nums(opt('--simd', '32,64,128,256'));
const PES = nums(opt('--pe', '4'));
const SIGNS = nums(opt('--signed', '0,1'));
const DPS = nums(opt('--dp', '0,1'));
const JOBS = Number(opt('--jobs', '1'));
const OUT = path.resolve(ROOT, opt('--out', 'build/kdot/results.json'));
const DIR = path.dirname(OUT);
/** @param {...unknown} a */
const log = (...a) => console.error('[kdot]', ...a);
const LIB = ['bnn_intdot', 'bnn_addtree', 'bnn_bitplane'].map((m) => path.join(ROOT, 'templates', 'lib', `${m}.v`));

/**
 * @typedef {{ dp: number; k: number; signed: number; simd: number; pe: number }} Point
 * @typedef {Point & { popStages: number; lut: number; carry: number; ff: number; lutPerProduct: number; depth: number; bound: number }} Result
 */

/** @param {Point} c */
const tagOf = (c) => `dp${c.dp}_k${c.k}${c.signed ? 's' : 'u'}_simd${c.simd}_pe${c.pe}`;

/** @param {Point} c @param {number} pop */
function harness(c, pop) {
  const ow = c.k + 1 + Math.ceil(Math.log2(c.simd));
  const params = [
    ['PE', c.pe], ['SIMD', c.simd], ['IN_W', c.k], ['IN_SIGNED', c.signed], ['POP_STAGES', pop], ['OW', ow],
    ...mvuIntStructureParams(c.simd, pop, c.dp ? 'bitplane' : 'addsub', c.k, false).map((x) => [x.name, x.value]),
  ];
  return `\`default_nettype none
// bnn_intdot (DATAPATH ${c.dp}) between input and output registers (written by scripts/kdot-measure.mjs).
module kd_harness (
    input wire clk, input wire [${c.simd * c.k - 1}:0] x_in, input wire [${c.pe * c.simd - 1}:0] w_in, output reg [${c.pe * ow - 1}:0] sum_out);
    reg [${c.simd * c.k - 1}:0] x_r;
    reg [${c.pe * c.simd - 1}:0] w_r;
    wire [${c.pe * ow - 1}:0] sum;
    bnn_intdot #(${params.map(([k, v]) => `.${k}(${v})`).join(', ')}) u_dot (.clk(clk), .x(x_r), .w(w_r), .sum(sum));
    always @(posedge clk) begin x_r <= x_in; w_r <= w_in; sum_out <= sum; end
endmodule
\`default_nettype wire
`;
}

/** @param {Point} c @returns {Promise<Result>} */
async function measure(c) {
  const pop = popStagesFor(c.simd);
  const tag = tagOf(c);
  writeFileSync(path.join(DIR, `${tag}.v`), harness(c, pop));
  const t0 = Date.now();
  const r = await runTool('yosys', ['-q', '-p', `read_verilog ${LIB.join(' ')} ${tag}.v; synth_xilinx -noiopad -flatten -top kd_harness; tee -q -o ${tag}.stat stat -json; write_json ${tag}.json`], { cwd: DIR, timeoutMs: 7200_000 });
  if (r.code !== 0) throw new Error(`${tag}: ${r.stderr}`);
  const st = parseStatJson(readFileSync(path.join(DIR, `${tag}.stat`), 'utf8'));
  const counts = countCells('xilinx', /** @type {Record<string, number>} */ (Object.values(st.modules)[0]?.num_cells_by_type));
  const net = JSON.parse(readFileSync(path.join(DIR, `${tag}.json`), 'utf8'));
  const depth = lutDepth(net, /** @type {string} */ (Object.keys(net.modules).find((k) => k.includes('kd_harness'))), 'xilinx');
  const res = {
    ...c, popStages: pop, lut: counts.lut, carry: counts.carry, ff: counts.ff,
    lutPerProduct: counts.lut / (c.pe * c.simd * c.k), depth, bound: intdotDepthBound(c.dp ? 'bitplane' : 'addsub', c.simd, c.k, pop, false),
  };
  log(`${tag}: ${res.lut} LUT, ${res.lutPerProduct.toFixed(3)} per product, depth ${depth} (bound ${res.bound}), ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return res;
}

/** @template T, R @param {T[]} items @param {number} n @param {(x: T) => Promise<R>} f @returns {Promise<R[]>} */
async function pool(items, n, f) {
  /** @type {R[]} */
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(/** @type {T} */ (items[i]));
    }
  }));
  return out;
}

async function main() {
  mkdirSync(DIR, { recursive: true });
  /** @type {Record<string, Result>} */
  const cache = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : {};
  /** @type {Point[]} */
  const points = [];
  for (const simd of SIMDS) for (const k of KS) for (const signed of SIGNS) for (const pe of PES) for (const dp of DPS) points.push({ dp, k, signed, simd, pe });
  await pool(points.filter((c) => !cache[tagOf(c)]), JOBS, async (c) => {
    cache[tagOf(c)] = await measure(c);
    writeFileSync(OUT, JSON.stringify(cache, null, 1));
  });
  const all = Object.values(cache).sort((a, b) => a.simd - b.simd || a.pe - b.pe || a.k - b.k || a.signed - b.signed || a.dp - b.dp);
  const L = [];
  L.push(`Measured with \`nice node scripts/kdot-measure.mjs ${args.join(' ')}\` (${await yosysVersion()}, synth_xilinx -flatten; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores).`);
  L.push('');
  L.push('| SIMD | PE | k | codes | POP_STAGES | add/sub LUT | per product | depth | bit-plane LUT | per product | depth (bound) | winner |');
  L.push('|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|');
  const key = (/** @type {Result} */ r) => `${r.simd}_${r.pe}_${r.k}_${r.signed}`;
  const seen = new Set();
  for (const r of all) {
    if (seen.has(key(r))) continue;
    seen.add(key(r));
    const a = all.find((x) => key(x) === key(r) && x.dp === 0);
    const b = all.find((x) => key(x) === key(r) && x.dp === 1);
    const cell = (/** @type {Result | undefined} */ x, /** @type {boolean} */ bound) => (x ? [x.lut, x.lutPerProduct.toFixed(2), bound ? `${x.depth} (${x.bound})` : x.depth] : ['-', '-', '-']);
    const win = a && b ? (b.lut < a.lut ? 'bit-plane' : 'add/sub') : '-';
    L.push(`| ${r.simd} | ${r.pe} | ${r.k} | ${r.signed ? 'signed' : 'unsigned'} | ${r.popStages} | ${cell(a, false).join(' | ')} | ${cell(b, true).join(' | ')} | ${win} |`);
  }
  console.log(L.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
