/**
 * Generated names cannot collide (issue 10, item 3). Model and layer names are taken from every word
 * a generated design itself uses (module, instance, port, wire and file names of two reference
 * designs, the planner's block names, the library; each with all its `_` tails) plus a hand-written
 * list of reserved words and default layer names; every generated suffix also follows a layer name
 * (`a` next to `a_fifo`, `a_weights`, `a_top`, ...). Every such design must keep its files and its
 * Verilog names apart (read back from the files). The reserved words and the generated suffixes of
 * module, file and block names also go through `verilator --lint-only -Wall` (per design) and one
 * Yosys synthesis per batch of designs. Names that could only clash (the library prefix bnn_ in any
 * case, layer names differing only in case) are refused with a diagnostic.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadModelValue } from '../../src/frontend/load.js';
import { buildDesign } from '../../src/flows/build.js';
import { runTool } from '../../src/flows/tools.js';
import { cnnJson, mlpJson } from '../../src/examples/seeded-models.js';
import { identifierProblem, suggestIdentifier } from '../../src/util/names.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { allModules, duplicates, tails, type DesignFileMap, type ModuleNames } from '../helpers/verilog-names.js';
import { requireTools } from '../helpers/tools.js';

type Json = Record<string, unknown>;
type Layers = Json[];

const REF = 'refnet';
/** A reference design with every kind of block: input binariser, conv (width converter, sliding window), pool, dense, rank tables. */
function referenceModel(): Json {
  return cnnJson({ name: REF, seed: 3, input: [4, 4, 2], binarizeInput: true, convs: [{ filters: 4, kernel: 2, padding: 'same', pool: { size: 2, where: 'after' } }], dense: [3], classes: 3, lastBn: true });
}

function build(json: Json, fold?: { pe: number; simd: number }[]) {
  if (!fold) return buildDesign(loadModelValue(json), {});
  const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-names-fold-'));
  try {
    writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers: fold }));
    return buildDesign(loadModelValue(json), { fold: join(dir, 'fold.json') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every word the generator writes into a design, read back from its files and its plan, with all its
 * `_` tails: `all` from module, file, block, instance, port and wire names; `suffixes` from module,
 * file and block names only (what can follow a layer name). Words that differ only in the reference's
 * layer names or in numbers (s1_tdata, s2_tdata; layer_fc0, layer_conv0) are kept once.
 */
function generatedWords(): { all: string[]; suffixes: string[] } {
  // SIMD 1 on the conv makes a width converter in front of it; the MLP has integer input (mvu_int)
  const refs = [
    build(referenceModel(), [{ pe: 2, simd: 1 }, { pe: 1, simd: 2 }, { pe: 3, simd: 3 }]),
    build(mlpJson({ name: REF, seed: 4, inputs: 6, widths: [4], classes: 3, inputType: 'int4' })),
  ];
  const kinds = new Set(refs.flatMap((r) => r.plan.blocks.map((b) => b.kind)));
  expect([...kinds].sort()).toEqual(['argmax', 'dwc', 'fifo', 'mvtu', 'mvu_int', 'pool', 'swg', 'thresh_in']);
  const layers = [...new Set(refs.flatMap((r) => r.plan.layers.map((g) => g.name)))].sort((a, b) => b.length - a.length);
  const shape = (w: string) => layers.reduce((s, l) => s.split(l).join('X'), w).replace(/\d+/g, '#');
  const all = new Map<string, string>();
  const suffixes = new Map<string, string>();
  const add = (to: Map<string, string>[], s: string) => {
    for (const t of tails(s.startsWith(`${REF}_`) ? s.slice(REF.length + 1) : s)) for (const m of to) if (!m.has(shape(t))) m.set(shape(t), t);
  };
  for (const built of refs) {
    for (const f of built.files.keys()) add([all, suffixes], f.replace(/^.*\//, '').replace(/\..*$/, ''));
    for (const m of allModules(built.files)) {
      add([all, suffixes], m.module);
      // inside the fixed library and testbench modules no user name appears
      if (m.file.startsWith('rtl/bnn_') || m.file.startsWith('tb/')) continue;
      for (const n of [...m.ports, ...m.wires, ...m.instances.map((i) => i.inst)]) add([all], n);
    }
    for (const g of built.plan.layers) {
      for (const b of g.blocks) add([all, suffixes], b.name.startsWith(`${g.name}_`) ? b.name.slice(g.name.length + 1) : b.name);
    }
  }
  return { all: [...all.values()].sort(), suffixes: [...suffixes.values()].sort() };
}

/** Reserved and generated words by hand (suffixed forms a_<word> are added for every word below). */
const HAND = [
  'top', 'argmax', 'pnr_top', 'tb', 'bnn', 'fifo', 'dwc', 'swg', 'pool', 'thresh_in', 'mvtu', 'mvu_int', 'addtree', 'rom', 'layer',
  'layer_top', 'layer_argmax', 'weights', 'thresholds', 'rank0', 'dut', 'u_dut', 'u_argmax', 'u_top', 'clk', 'rst_n', 's0', 'st0',
  'top_top', 'tb_top', 'argmax_top', 'pnr_top_top',
  'l0_batchnorm', 'l1_sign', 'l2_dense', 'l3_batchnorm', 'l0_conv2d', 'l2_maxpool', 'l3_flatten',
  'Top', 'ARGMAX', 'Pnr_Top', 'TB', 'Fifo', 'a', 'bnn_top', 'bnn_argmax', 'BNN', 'Bnn_fifo', 'module', 'wire', 'input',
];

const GENERATED = generatedWords();
const valid = (w: string) => identifierProblem(w) === null;
const validModel = (w: string) => valid(w) && w.toLowerCase() !== 'bnn' && !w.toLowerCase().startsWith('bnn_');
/** Every word, checked structurally (fast). */
const WORDS = [...new Set([...HAND, ...GENERATED.all])].sort();
/** The reserved words and the generated suffixes (module, file and block names), also linted and synthesised. */
const TOOL_WORDS = [...new Set([...HAND, ...GENERATED.suffixes])].sort();
/** Names of the layers without hardware of their own (batchnorm, later signs); in no word list. */
const FILLER = 'zq';

// ------------------------------------------------------------------------------------ the designs
/** Rename the layers of a model JSON in order (undefined: the default name, null: a filler name). */
function named(json: Json, model: string, names: (string | undefined | null)[]): Json {
  const layers = (json['layers'] as Layers).map((l, i) => {
    const n = names[i] === null ? `${FILLER}${i}` : names[i];
    const { name: _drop, ...rest } = l;
    return n === undefined ? rest : { ...rest, name: n };
  });
  return { ...json, name: model, layers };
}

/**
 * One layer of each kind and many alike (alike layers share their library instances: cheap to
 * synthesise): batchnorm and sign on a 2-bit input (thresh_in), a 1x1 conv (sliding window, FIFO,
 * weight and threshold images), batchnorm, sign, flatten, dense layers of one unit with batchnorm and
 * sign between, the last one of two units into argmax (through a trailing batchnorm with `rank`:
 * rank tables). Names in order: the input sign, the conv, the dense layers (null: a filler name).
 */
function chain(seed: number, model: string, words: readonly (string | null)[], rank: boolean): Json {
  const json = cnnJson({ name: 'x', seed, input: [1, 1, 1], inputType: 'uint2', binarizeInput: true, convs: [{ filters: 1, kernel: 1 }], dense: Array<number>(Math.max(1, words.length - 3)).fill(1), classes: 2, lastBn: rank });
  const layers = json['layers'] as Layers;
  const order: number[] = [1, 2];
  layers.forEach((l, k) => l['type'] === 'dense' && order.push(k));
  const names: (string | null)[] = layers.map(() => null);
  order.forEach((k, i) => (names[k] = words[i] ?? null));
  return named(json, model, names);
}
/** A small CNN: bn, sign, conv 2x2 (padding), bn, sign, pool 2x2, flatten, dense, bn, sign, dense, bn. */
const cnn = () => cnnJson({ name: 'x', seed: 7, input: [4, 4, 1], inputType: 'uint2', binarizeInput: true, convs: [{ filters: 2, kernel: 2, padding: 'same', pool: { size: 2, where: 'after' } }], dense: [2], classes: 2, lastBn: true });
/** One dense layer of one unit, scores out: the smallest design, for model names. */
const minimal = (model: string) => named(mlpJson({ name: 'x', seed: 1, inputs: 1, widths: [], classes: 1, inputType: 'bipolar', output: 'scores' }), model, [model]);

interface Case { label: string; json: Json }

/** Groups of at most `n` names, none two equal ignoring case (those are refused: BNN016). */
function pack(names: readonly string[], n: number): string[][] {
  const out: string[][] = [];
  for (const w of names) {
    let g = out.find((x) => x.length < n && !x.some((y) => y.toLowerCase() === w.toLowerCase()));
    if (!g) out.push((g = []));
    g.push(w);
  }
  return out;
}

/**
 * Designs that use every word as the name of a layer with hardware, every suffix after the name of a
 * layer (a and a_<suffix>) and every valid model word as a model name.
 */
function cases(words: readonly string[], suffixes: readonly string[], modelWords: readonly string[], all = true): Case[] {
  const layerWords = words.filter(valid);
  const models = modelWords.filter(validModel);
  const nextModel = () => models.shift() ?? `m${out.length}`;
  const out: Case[] = [];
  const per = 20;
  for (const [i, ws] of pack(layerWords, per).entries()) {
    const model = nextModel();
    out.push({ label: `model ${model}, layers ${ws.join(', ')}`, json: chain(i, model, ws, i === 0) });
  }
  // names that end in a generated suffix, next to the layer whose blocks and files carry it: a, a_fifo, a_weights, ...
  const suffixed = suffixes.filter((w) => w !== 'a' && valid(`a_${w}`)).map((w) => `a_${w}`);
  for (const [i, ws] of pack(suffixed, per - 1).entries()) {
    const model = nextModel();
    out.push({ label: `model ${model}, layers a, ${ws.join(', ')}`, json: chain(100 + i, model, [ws[0]!, 'a', ...ws.slice(1)], i === 0) });
  }
  // the other blocks (width converter, 2x2 window with padding, 2x2 pool) under reserved names; the defaults l<i>_<type>
  const c = cnn();
  const types = (c['layers'] as Layers).map((l) => l['type'] as string);
  out.push({ label: 'cnn: reserved words', json: named(c, nextModel(), ['pnr_top', 'top', 'argmax', 'tb', 'bnn', 'top_swg', 'fifo', 'dwc', 'swg', 'pool', 'thresh_in', 'mvtu']) });
  out.push({ label: 'cnn: conv next to its blocks', json: named(c, nextModel(), ['c_dwc', 'c_thresholds', 'c', 'c_weights', 'c_swg', 'c_fifo', 'c_layer', 'c_pool', 'c_argmax', 'c_top', 'c_rank0', 'c_mvtu']) });
  out.push({ label: 'cnn: default names', json: named(c, nextModel(), []) });
  if (all) out.push({ label: 'cnn: default names on other layers', json: named(c, nextModel(), types.map((_, i) => `l${(i + 1) % types.length}_${types[(i + 1) % types.length]}`)) });
  for (const m of models.splice(0)) out.push({ label: `model ${m}`, json: minimal(m) });
  return out;
}

const CASES = cases(WORDS, WORDS, WORDS);
/** for the tools: the generated suffixes after a layer name, the reserved words also as model names */
const TOOL_CASES = cases(TOOL_WORDS, GENERATED.suffixes, HAND, false);

// ------------------------------------------------------------------------------------- the checks
function checkNames(files: DesignFileMap): void {
  const paths = [...files.keys()];
  expect(duplicates(paths), 'file paths equal ignoring case').toEqual([]);
  const manifest = JSON.parse(files.get('manifest.json') as string) as { top: string; files: string[]; layers: { name: string; module: string }[] };
  expect(manifest.files, 'manifest file list').toEqual([...paths].sort());
  const mods = allModules(files);
  expect(duplicates(mods.map((m) => m.module)), 'modules declared twice (ignoring case)').toEqual([]);
  const declared = new Set(mods.map((m) => m.module));
  for (const [f] of files) {
    if (!f.endsWith('.v')) continue;
    const inFile = mods.filter((m) => m.file === f).map((m) => m.module);
    expect(inFile, `modules of ${f}`).toEqual([f.replace(/^.*\//, '').replace(/\.v$/, '')]);
  }
  expect(declared.has(manifest.top)).toBe(true);
  expect(duplicates(manifest.layers.map((l) => l.module)), 'wrapper modules').toEqual([]);
  for (const l of manifest.layers) expect(declared.has(l.module), `wrapper of ${l.name}`).toBe(true);
  const generated = mods.filter((m) => !m.module.startsWith('bnn_') && m.file !== 'tb/tb.v');
  const mems: string[] = [];
  for (const m of generated) {
    for (const i of m.instances) {
      expect(declared.has(i.module), `${m.module} instantiates ${i.module}`).toBe(true);
      expect(i.module, `${m.module} instantiates itself`).not.toBe(m.module);
    }
    expect(duplicates([...m.ports, ...m.wires, ...m.instances.map((i) => i.inst)]), `names in ${m.module}`).toEqual([]);
    mems.push(...m.memFiles);
  }
  // every image is read by exactly one ROM and exists
  expect(duplicates(mems), 'memory images read twice').toEqual([]);
  expect(mems.sort()).toEqual(paths.filter((f) => f.startsWith('mem/')).sort());
  // the layers with hardware each have their own wrapper
  const wrappers = new Set(manifest.layers.map((l) => l.module));
  expect(wrappers.size).toBe(manifest.layers.length);
}

describe('generated names', () => {
  it('word lists cover the generated suffixes and the reserved words', () => {
    for (const w of ['top', 'pnr_top', 'argmax', 'tb', 'fifo', 'dwc', 'swg', 'weights', 'thresholds', 'rank0', 'tdata', 'st0', 'layer']) expect(WORDS).toContain(w);
    for (const w of ['top', 'pnr_top', 'argmax', 'fifo', 'dwc', 'swg', 'weights', 'thresholds', 'rank0', 'synth_xilinx']) expect(GENERATED.suffixes).toContain(w);
    expect(WORDS.filter(validModel).length).toBeGreaterThan(60);
    expect(WORDS.filter((w) => w.startsWith(FILLER))).toEqual([]);
    for (const [words, suffixes, models, cs] of [[WORDS, WORDS, WORDS, CASES], [TOOL_WORDS, GENERATED.suffixes, HAND, TOOL_CASES]] as const) {
      const layerNames = new Set(cs.flatMap((c) => (c.json['layers'] as Layers).map((l) => l['name'])));
      const expected = [...words.filter(valid), ...suffixes.filter((w) => w !== 'a' && valid(w)).map((w) => `a_${w}`)];
      expect(expected.filter((w) => !layerNames.has(w)), 'words missing as layer names').toEqual([]);
      const modelNames = new Set(cs.map((c) => c.json['name']));
      expect(models.filter((w) => validModel(w) && !modelNames.has(w)), 'words missing as model names').toEqual([]);
    }
  });

  it('every design keeps its file, module, instance, wire and memory names apart', () => {
    for (const c of CASES) {
      const built = build(c.json);
      try {
        checkNames(built.files);
      } catch (e) {
        throw new Error(`${c.label}: ${(e as Error).message}`);
      }
    }
  });

  const refused = (json: Json) => {
    try {
      loadModelValue(json);
    } catch (e) {
      if (e instanceof DiagnosticError) return e.diagnostics[0]!;
      throw e;
    }
    return null;
  };
  const tiny = () => mlpJson({ name: 'x', seed: 2, inputs: 3, widths: [2], classes: 2 });

  it('refuses model names in the library namespace, in any letter case, and suggests a valid one', () => {
    for (const name of ['bnn', 'BNN', 'Bnn', 'BNN_top', 'bNn_argmax', 'Bnn_']) {
      const d = refused({ ...tiny(), name });
      expect(d, name).not.toBeNull();
      expect([d!.code, d!.pointer], name).toEqual(['BNN015', '/name']);
      expect(d!.message).toMatch(/bnn_/);
      const hint = /for example "(\w+)"/.exec(d!.hint ?? '')?.[1];
      expect(refused({ ...tiny(), name: hint }), `suggested ${hint}`).toBeNull();
    }
    expect(refused({ ...tiny(), name: 'bnn_x' })?.code).toBe('BNN050');
    for (const name of ['bnnx', 'bn', 'xbnn', 'my_bnn', 'BNNet']) expect(refused({ ...tiny(), name }), name).toBeNull();
    for (const name of ['bnn', 'BNN', 'bnn_bnn_x', 'Bnn_x']) expect(refused({ ...tiny(), name: suggestIdentifier(name) }), name).toBeNull();
  });

  it('refuses layer names that differ only in letter case, also from a default name', () => {
    const j = tiny();
    const layers = j['layers'] as Layers;
    const d1 = refused(named(j, 'm', layers.map((_, i) => (i === 0 ? 'fc0' : i === 3 ? 'FC0' : undefined))));
    expect([d1?.code, d1?.pointer]).toEqual(['BNN016', '/layers/3/name']);
    expect(d1!.message).toMatch(/"FC0".*"fc0".*\/layers\/0/);
    const d2 = refused(named(j, 'm', layers.map((_, i) => (i === 3 ? 'L2_Sign' : undefined))));
    expect([d2?.code, d2?.pointer]).toEqual(['BNN016', '/layers/3/name']);
    expect(d2!.message).toMatch(/default name/);
    // exact duplicates keep their own code
    expect(refused(named(j, 'm', layers.map((_, i) => (i === 0 || i === 3 ? 'fc0' : undefined))))?.code).toBe('BNN051');
  });
});

const has = requireTools('verilator', 'yosys');

/**
 * Designs of different models may still clash with each other (model a with a layer top and model
 * a_layer both have a module a_layer_top): each batch holds designs whose files do not meet, so it
 * can share one folder and one run of each tool.
 */
const BATCH = 24;
function batches(): { label: string; files: DesignFileMap }[][] {
  const out: { taken: Set<string>; designs: { label: string; files: DesignFileMap }[] }[] = [];
  for (const c of TOOL_CASES) {
    const files = new Map([...build(c.json).files].filter(([f]) => f.startsWith('rtl/') || f.startsWith('mem/') || /^flows\/.*\.v$/.test(f)));
    const own = [...files.keys()].filter((f) => !f.startsWith('rtl/bnn_')).map((f) => f.toLowerCase());
    let b = out.find((x) => x.designs.length < BATCH && own.every((f) => !x.taken.has(f)));
    if (!b) out.push((b = { taken: new Set(), designs: [] }));
    own.forEach((f) => b!.taken.add(f));
    b.designs.push({ label: c.label, files });
  }
  return out.map((b) => b.designs);
}

describe.skipIf(!has)('generated names: lint and synthesis', () => {
  it('all designs: verilator -Wall clean, Yosys synthesis without errors or latches', async () => {
    const bs = batches();
    for (const designs of bs) {
      const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-names-'));
      try {
        await lintAndSynth(dir, designs);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 600_000);
});

async function lintAndSynth(dir: string, designs: { label: string; files: DesignFileMap }[]): Promise<void> {
  const harnesses: string[] = [];
  const sources = new Set<string>();
  for (const d of designs) {
    for (const [f, text] of d.files) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
      if (f.endsWith('.v')) sources.add(f);
      if (f.startsWith('flows/')) harnesses.push(f.slice('flows/'.length, -'.v'.length));
    }
  }
  expect(harnesses.length).toBe(designs.length);
  const k = harnesses.length;
  writeFileSync(join(dir, 'names_all.v'), [
    '`default_nettype none',
    `module names_all (input wire clk, input wire rst_n, input wire [${k - 1}:0] din, output wire [${k - 1}:0] dout);`,
    ...harnesses.map((h, i) => `    ${h} u${i} (.clk(clk), .rst_n(rst_n), .din(din[${i}]), .dout(dout[${i}]));`),
    'endmodule',
    '`default_nettype wire',
    '',
  ].join('\n'));
  const list = [...[...sources].sort(), 'names_all.v'];
  writeFileSync(join(dir, 'sources.f'), list.join('\n') + '\n');
  // one lint per design, as design-checks does (linted together, some sets of designs made Verilator
  // 5.006 report a VARHIDDEN between bnn_fifo's constant function and bnn_pool, names unrelated)
  for (const [i, d] of designs.entries()) {
    const lint = await runTool('verilator', ['--lint-only', '-Wall', '--top-module', harnesses[i]!, '-f', 'sources.f'], { cwd: dir });
    expect(lint.stderr + lint.stdout, d.label).toBe('');
    expect(lint.code).toBe(0);
  }
  const script = `read_verilog ${list.join(' ')}; hierarchy -check -top names_all; proc; synth -top names_all; check -assert; select -assert-none t:$dlatch t:$_DLATCH_*`;
  const y = await runTool('yosys', ['-q', '-p', script], { cwd: dir });
  expect(y.code, y.stderr + y.stdout.slice(-3000)).toBe(0);
}
