/**
 * The Verilog emitter names its stream wires from the plan (plan.streams), as the simulator and the
 * testbench do, instead of rebuilding the names: renaming the plan's streams renames the wires.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { planDesign } from '../../src/flows/build.js';
import { emitRtl } from '../../src/emit/design.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('stream names come from plan.streams', () => {
  it('a plan whose streams are renamed emits wires under the new names', () => {
    const model = loadModelValue(JSON.parse(readFileSync(join(ROOT, 'examples/cnv.json'), 'utf8')) as unknown);
    const { plan, timing } = planDesign(model, { fold: join(ROOT, 'examples/folds/cnv-finn.json'), sizeFifos: false });
    const renamed = { ...plan, streams: plan.streams.map((s) => ({ ...s, prefix: `${s.topLevel ? 'top' : 'in'}${s.index}x` })) };
    const files = emitRtl(model, renamed, timing);
    const top = files.get(`rtl/${plan.top}.v`)!;
    for (const s of renamed.streams.filter((x) => x.topLevel)) for (const sig of ['tdata', 'tvalid', 'tready']) expect(top).toContain(`${s.prefix}_${sig}`);
    expect(top).not.toMatch(/\bs\d+_t(data|valid|ready)\b/);
    const inner = renamed.streams.filter((x) => !x.topLevel);
    expect(inner.length).toBeGreaterThan(0);
    for (const s of inner) {
      const layer = plan.layers.find((g) => g.inst === s.scope)!;
      const text = files.get(`rtl/${layer.module}.v`)!;
      expect(text).toContain(`${s.prefix}_tdata`);
      expect(text).not.toMatch(/\bst\d+_t(data|valid|ready)\b/);
    }
  });
});
