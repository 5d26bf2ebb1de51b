// Long random sweep (not part of `npm test`): random MLPs and CNNs x random foldings x stall patterns,
// through every RTL simulator, compared with the reference and the plan's timing.
// Usage: npm run build && node scripts/sweep.mjs [--count N] [--start S] [--out docs/sweep-results.md]
//        node scripts/sweep.mjs --graphs [--count N] [--out docs/sweep-graphs.md]: random residual graphs
//        (src/examples/random-graphs.ts, the mappable form) instead; graphs the planner refuses (BNN040) are counted.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { loadModelValue } from '../dist/frontend/load.js';
import { verify } from '../dist/flows/verify.js';
import { compileIr } from '../dist/passes/pipeline.js';
import { linearStages } from '../dist/ir/types.js';
import { divisors, simdChoices } from '../dist/passes/folding.js';
import { Prng } from '../dist/util/prng.js';
import { cnnJson, mlpJson } from '../dist/examples/seeded-models.js';
import { randomGraphFold, randomGraphJson } from '../dist/examples/random-graphs.js';

/** @template {string | number} T @param {string} name @param {T} def @returns {string | T} */
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : def;
};
const count = Number(arg('--count', 200));
const start = Number(arg('--start', 1));
const graphs = process.argv.includes('--graphs');
const out = arg('--out', graphs ? 'docs/sweep-graphs.md' : 'docs/sweep-results.md');
const simulators = /** @type {import('../dist/flows/verify.js').Simulator[]} */ ((arg('--simulators', 'icarus,verilator')).split(','));
const TYPES = ['uint8', 'int4', 'bipolar', { fixed: { bits: 8, frac: 7 } }, 'uint3', 'int8'];

/** @param {number} seed */
function randomNet(seed) {
  const rng = new Prng(seed * 977 + 13);
  const inputType = rng.pick(TYPES);
  const output = rng.bool(0.75) ? 'argmax' : 'scores';
  const bn = { negGamma: rng.pick([0.2, 0.5]), zeroGamma: rng.pick([0, 0.1]), tie: rng.pick([0.1, 0.5]) };
  const binarizeInput = inputType !== 'bipolar' && rng.bool(0.5);
  if (rng.bool(0.5)) {
    return mlpJson({ name: `sw${seed}`, seed, inputs: rng.int(2, 60), widths: Array.from({ length: rng.int(0, 3) }, () => rng.int(1, 40)), classes: rng.int(2, 12),
      inputType, binarizeInput, lastBn: rng.bool(), output, bn, bias: rng.bool(0.3) });
  }
  const h = rng.int(4, 10), w = rng.int(4, 10), c = rng.int(1, 4);
  const convs = [];
  let hh = h, ww = w;
  for (let k = 0; k < rng.int(1, 2); k++) {
    const kernel = rng.int(1, Math.min(3, hh, ww));
    const stride = rng.pick([1, 1, 2]);
    const padding = rng.pick(/** @type {const} */ (['valid', 'same']));
    /** @type {import('../dist/examples/seeded-models.js').ConvSpec} */
    const conv = { filters: rng.int(1, 8), kernel, stride, padding, padValue: rng.pick(/** @type {const} */ ([-1, 0, 1])) };
    const tot = (/** @type {number} */ n) => Math.max((Math.ceil(n / stride) - 1) * stride + kernel - n, 0);
    if (padding === 'same') { hh = Math.ceil(hh / stride); ww = Math.ceil(ww / stride); }
    else { hh = Math.floor((hh - kernel) / stride) + 1; ww = Math.floor((ww - kernel) / stride) + 1; }
    void tot;
    if (hh >= 2 && ww >= 2 && rng.bool(0.5)) {
      const ps = rng.pick([1, 2]);
      conv.pool = { size: 2, stride: ps, where: rng.pick(/** @type {const} */ (['before', 'after'])) };
      hh = Math.floor((hh - 2) / ps) + 1; ww = Math.floor((ww - 2) / ps) + 1;
    }
    convs.push(conv);
  }
  return cnnJson({ name: `sw${seed}`, seed, input: [h, w, c], inputType, binarizeInput, convs, dense: rng.bool() ? [rng.int(1, 16)] : [],
    classes: rng.int(2, 10), lastBn: rng.bool(), output, bn });
}

/** @type {string[]} */
const rows = [];
let failures = 0;
let refused = 0;
const t0 = Date.now();
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; ${execSync('iverilog -V 2>&1 | head -1').toString().trim()}; ${execSync('verilator --version').toString().trim()}; node ${process.version}`;
/**
 * rewritten after every network, so an interrupted sweep still leaves its result so far
 * @param {number} done
 */
function report(done) {
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  writeFileSync(out, `# Random RTL sweep${graphs ? ' of residual graphs' : ''}: last result

Command: \`node scripts/sweep.mjs${graphs ? ' --graphs' : ''} --count ${count} --start ${start} --simulators ${simulators.join(',')}\` (after \`npm run build\`).
${graphs ? `Each row: a seeded random residual graph (src/examples/random-graphs.ts, mappable form: identity and
two-branch shortcuts, Bi-Real signs, avgpool shortcuts, sign streams into adds, global average pooling),
a random folding (PE, SIMD) per linear layer, a stall probability for input gaps and output backpressure;
6 vectors through ${simulators.join(' and ')}; pass = zero mismatches, every frame out once and in order,
cycles per frame and latency of the unstalled run equal to the plan. Graphs the planner refuses (BNN040:
a pool over sign bits, two signs in a row) are counted apart.` : `Each row: a seeded random MLP or CNN (input type, binarised or raw first layer, negative / zero gammas,
ties, trailing batchnorm, padding -1 / +1 / 0, strides, pooling before / after the sign), a random
folding (PE, SIMD) per linear layer, a stall probability for input gaps and output backpressure; 6
vectors through ${simulators.join(' and ')}; pass = zero mismatches, every frame out once and in order,
cycles per frame and latency of the unstalled run equal to the plan.`}

Result: **${done - refused - failures} of ${done - refused} passed**${done < count ? ` (stopped after ${done} of ${count} seeds)` : ''}, ${failures} failed${graphs ? `, ${refused} refused by the planner (BNN040)` : ''}, in ${secs} s on ${machine}.

| seed | model | folding | stall | plan cycles/frame / latency | result |
|---|---|---|---|---|---|
${rows.join('\n')}
`);
}
for (let seed = start; seed < start + count; seed++) {
  const rng = new Prng(seed * 31 + 7);
  let model;
  /** @type {{ pe: number; simd: number }[]} */
  let layers;
  try {
    model = loadModelValue(graphs ? randomGraphJson(seed, { mappable: true }) : randomNet(seed));
    layers = graphs ? randomGraphFold(model, seed).layers : linearStages(compileIr(model)).map((l) => ({ pe: rng.pick(divisors(l.mh)), simd: rng.pick(simdChoices(l)) }));
  } catch (e) {
    if (graphs && /** @type {{ diagnostics?: { code: string }[] }} */ (e).diagnostics?.[0]?.code === 'BNN040') {
      refused++;
      continue;
    }
    rows.push(`| ${seed} | (generator) | | | | skipped: ${/** @type {Error} */ (e).message.split('\n')[0]} |`);
    continue;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-sweep-'));
  writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers }));
  const stall = rng.pick([0, 0.1, 0.3, 0.5]);
  const kind = graphs ? `graph (${[...new Set(model.layers.filter((l) => ['add', 'avgpool', 'globalavgpool'].includes(l.type)).map((l) => l.type))].join(', ')})` : model.layers.some((l) => l.type === 'conv2d') ? 'cnn' : 'mlp';
  try {
    const r = await verify(model, { fold: join(dir, 'fold.json'), simulators, vectors: 6, seed, stall, progress: () => {} });
    const ok = r.mismatches === 0 && r.timingMismatch.length === 0;
    if (!ok) failures++;
    rows.push(`| ${seed} | ${kind} ${model.input.type.kind} | ${layers.map((f) => `(${f.pe},${f.simd})`).join(' ')} | ${stall} | ${r.plan.cyclesPerFrame} / ${r.plan.latencyCycles} | ${ok ? 'pass' : `FAIL ${JSON.stringify(r.simulators)}`} |`);
  } catch (e) {
    if (graphs && /** @type {{ diagnostics?: { code: string }[] }} */ (e).diagnostics?.[0]?.code === 'BNN040') {
      refused++;
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    failures++;
    rows.push(`| ${seed} | ${kind} | ${layers.map((f) => `(${f.pe},${f.simd})`).join(' ')} | ${stall} | | ERROR ${String(/** @type {Error} */ (e).message).split('\n')[0]} |`);
  }
  rmSync(dir, { recursive: true, force: true });
  report(seed - start + 1);
  process.stderr.write(`\r${seed - start + 1}/${count} networks, ${failures} failures`);
}
report(count);
process.stderr.write(`\nwrote ${out}\n`);
process.exitCode = failures === 0 ? 0 : 1;
