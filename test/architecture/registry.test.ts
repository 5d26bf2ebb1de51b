/**
 * The block-kind registry drives every consumer: a copy of the registry with an extra kind ("echo", a
 * pass-through compute stage that no code outside this test knows) is planned, printed, emitted,
 * simulated, estimated, listed in the manifest and priced by the search without any change to them.
 * The type-level half (a registry missing a kind, a descriptor missing a member, a misspelt estimator
 * constant do not compile) is registry-types.ts, compiled here with tsc.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY, blockSim, type Registry } from '../../src/blocks/registry.js';
import type { BlockKind } from '../../src/blocks/kind.js';
import { FifoSim } from '../../src/blocks/sim-base.js';
import { ZERO } from '../../src/blocks/features.js';
import type { HwBlock } from '../../src/blocks/types.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { planDesign } from '../../src/flows/build.js';
import { expectedOutputs, seededCodes } from '../../src/flows/verify.js';
import { inputBeats } from '../../src/flows/stimulus.js';
import { manifest } from '../../src/flows/design.js';
import { layout } from '../../src/passes/layers.js';
import { printPlan } from '../../src/passes/plan-print.js';
import type { HwPlan } from '../../src/passes/plan.js';
import { emitRtl } from '../../src/emit/design.js';
import { simulate } from '../../src/sim/engine.js';
import { stallPatterns } from '../../src/sim/patterns.js';
import { estimatePlan } from '../../src/estimate/estimate.js';
import { finnEstimate } from '../../src/estimate/finn.js';
import { groupOwners } from '../../src/estimate/search.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface EchoBlock {
  kind: 'echo';
  name: string;
  width: number;
}

/** The echo stage's width: the dummy kind is not a member of HwBlock, so its blocks are cast once here. */
const width = (b: HwBlock): number => (b as unknown as EchoBlock).width;

const echo: BlockKind<HwBlock> = {
  kind: 'echo' as HwBlock['kind'],
  role: 'compute',
  unit: 'layer',
  keepHierarchy: true,
  search: 'previous',
  params: (b) => [{ name: 'WIDTH', value: width(b) }],
  inWidth: (b) => width(b),
  outWidth: (b) => width(b),
  wrapper: () => ({ wires: [{ name: 'echo_spare', msb: 0 }], assigns: [{ lhs: 'echo_spare', rhs: "1'b0" }], instances: [], ports: [] }),
  memories: () => [{ rom: 'rank9', image: () => '5\n' }],
  comment: (b) => `echo stage of ${width(b)} bits`,
  print: (b) => `${b.name}: echo WIDTH=${width(b)}`,
  cycles: () => 7,
  steps: (_b, n) => n.inBeats,
  layer: (b) => ({ pe: width(b), simd: width(b), mw: 1, mh: 1, cycles: 7 }),
  latency: () => 1,
  obufDepth: () => null,
  sim: (b) => new FifoSim(b.name, 2),
  features: () => ({ kind: 'echo', lut: { one: 1 }, ff: { one: 1 }, fixed: { ...ZERO, lut: 5 }, nested: [] }),
  finn: null,
};

const registry = { ...REGISTRY, echo } as unknown as Registry;

/** TFC with an echo stage after its first layer. */
function withEcho() {
  const model = loadModelValue(JSON.parse(readFileSync(join(ROOT, 'examples/tfc.json'), 'utf8')) as unknown);
  const base = planDesign(model, { fold: join(ROOT, 'examples/folds/tfc-parallel.json'), sizeFifos: false });
  const fc0 = base.plan.layers.find((l) => l.name === 'fc0')!;
  const at = base.plan.blocks.indexOf(fc0.compute) + 1;
  const block = { kind: 'echo', name: 'fc0_echo', width: fc0.outWidth } as unknown as HwBlock;
  const blocks = [...base.plan.blocks.slice(0, at), block, ...base.plan.blocks.slice(at)];
  const { layers: _l, streams: _s, ...core } = base.plan;
  const p: HwPlan = layout({ ...core, blocks }, registry);
  return { model, base, p, width: fc0.outWidth };
}

describe('block-kind registry', () => {
  it('every kind has its descriptor under its own name', () => {
    for (const [k, d] of Object.entries(REGISTRY)) expect(d.kind).toBe(k);
  });

  it('a new kind reaches the plan, the plan print and the manifest', () => {
    const { p, base, width } = withEcho();
    const layer = p.layers.find((l) => l.name === 'fc0_echo')!;
    expect(layer.module).toBe('tfc_layer_fc0_echo');
    expect(layer.members.map((m) => [m.module, m.inst])).toEqual([['bnn_echo', 'u_echo']]);
    expect(p.streams.length).toBe(p.blocks.length + 1);
    expect(printPlan(p, registry)).toContain(`fc0_echo: echo WIDTH=${width}\n`);
    const m = manifest(p, base.timing, [], registry);
    expect(m.layers.find((l) => l.name === 'fc0_echo')).toEqual({
      name: 'fc0_echo', kind: 'echo', module: 'tfc_layer_fc0_echo', pe: width, simd: width, mw: 1, mh: 1, cycles: 7,
      blocks: [{ name: 'fc0_echo', kind: 'echo', module: 'bnn_echo', inst: 'u_echo', hierarchy: true }],
    });
  });

  it('emit writes its wrapper, instance, parameters, wiring and memory image', () => {
    const { model, p, base, width } = withEcho();
    const files = emitRtl(model, p, base.timing, registry);
    const wrapper = files.get('rtl/tfc_layer_fc0_echo.v')!;
    expect(wrapper).toMatch(new RegExp(`bnn_echo #\\(\\s*\\.WIDTH\\(${width}\\)\\s*\\) u_echo \\(`));
    expect(wrapper).toContain(`echo stage of ${width} bits`);
    expect(wrapper).toContain("assign echo_spare = 1'b0;");
    expect(files.get('mem/tfc_layer_fc0_echo_rank9.mem')).toBe('5\n');
    expect(files.get('rtl/tfc_top.v')).toMatch(/tfc_layer_fc0_echo\s+u_layer_fc0_echo\s*\(/);
  });

  it('the cycle model runs it: the outputs are still the reference outputs', () => {
    const { model, p } = withEcho();
    const codes = seededCodes(model, 3, 5);
    const want = expectedOutputs(model, p, codes).outputs;
    const beats = codes.flatMap((c) => inputBeats(p, c));
    const r = simulate(p, beats, codes.length, { patterns: stallPatterns(0.2, 3), sims: p.blocks.map((b) => blockSim(b, false, registry)) });
    expect(r.outBeats.map((b) => b[0])).toEqual(want);
    const i = p.blocks.findIndex((b) => b.name === 'fc0_echo');
    expect(r.busy[i]!.inBeats).toBeGreaterThan(0);
  });

  it('the estimate, FINN rows and the search pricing take it generically', () => {
    const { p, base } = withEcho();
    const e = estimatePlan(p, { fabric: 'xilinx' }, registry);
    expect(e.layers.find((l) => l.name === 'fc0_echo')).toMatchObject({ lut: 5, blocks: [{ name: 'fc0_echo', kind: 'echo', lut: 5 }] });
    expect(e.total.lut).toBe(estimatePlan(base.plan, { fabric: 'xilinx' }).total.lut + 5);
    expect(finnEstimate(p, new Map(), registry).map((r) => r.name)).toEqual(['fc0', 'fc1', 'fc2', 'fc3']);
    const owners = groupOwners(p, registry).map(([g, i]) => `${g.name}:${i}`);
    expect(owners).toEqual(['in_sign:0', 'fc0:0', 'fc0_echo:0', 'fc1:1', 'fc2:2', 'fc3:3', 'argmax:3']);
  });

  it('a registry missing a kind, a descriptor missing a member, a misspelt constant do not compile', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck', '--types', 'node', join(import.meta.dirname, 'registry-types.ts')];
    // every @ts-expect-error there must meet its error: an unused one fails the compile
    expect(() => execFileSync(process.execPath, [tsc, ...args], { cwd: ROOT, encoding: 'utf8' })).not.toThrow();
  });
});
