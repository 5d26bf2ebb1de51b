/** flows/synth.ts reads a generated design's hierarchy from its manifest.json (no parsing of the Verilog). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { buildDesign } from '../../src/flows/build.js';
import { readDesign } from '../../src/flows/synth.js';
import { designInfo } from '../../src/flows/flow-files.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { writeTreeAtomic } from '../../src/util/fs.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function generated(example: string, fold?: string) {
  const model = loadModelValue(JSON.parse(readFileSync(join(ROOT, 'examples', example), 'utf8')) as unknown);
  const built = buildDesign(model, fold ? { fold: join(ROOT, 'examples/folds', fold) } : {});
  const dir = mkdtempSync(join(tmpdir(), 'bnn-synth-design-'));
  dirs.push(dir);
  writeTreeAtomic(join(dir, 'd'), built.files);
  return { built, dir: join(dir, 'd') };
}

describe('synth reads the hierarchy from the manifest', () => {
  it('the wrappers and their kept instances are the plan\'s', () => {
    const { built, dir } = generated('binarynet_small.json');
    const d = readDesign(dir);
    const fromPlan = designInfo(built.plan, d.sources);
    expect(d.wrappers).toEqual(fromPlan.wrappers);
    // window, FIFO and width converter are kept for per-block counts; compute blocks are not
    const kinds = new Set(d.wrappers.flatMap((w) => w.instances.map((i) => i.kind)));
    expect(kinds.has('swg') && kinds.has('fifo') && !kinds.has('mvtu') && !kinds.has('mvu_int')).toBe(true);
    expect(d.wrappers[1]!.instances.every((i) => i.inst.startsWith('u_') && i.lib === `bnn_${i.kind}`)).toBe(true);
  });

  it('a manifest without the blocks of its layers (older bnn-hw) is BNN225', () => {
    const { dir } = generated('tfc.json');
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { layers: { blocks?: unknown }[] };
    for (const l of m.layers) delete l.blocks;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    try {
      readDesign(dir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DiagnosticError);
      expect((e as DiagnosticError).diagnostics[0]).toMatchObject({ code: 'BNN225', pointer: '/layers/0/blocks', file: join(dir, 'manifest.json') });
      expect((e as DiagnosticError).diagnostics[0]!.message).toMatch(/at '\/layers\/0\/blocks': expected an array, found nothing \(missing\)/);
    }
  });
});
