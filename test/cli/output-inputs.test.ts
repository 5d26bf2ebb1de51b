/**
 * An output never replaces an input of the same command: `import m.onnx -o m.onnx` replaced the
 * ONNX file with the JSON model, `generate out/model.json -o out` deleted the model with the old
 * design folder (also with --force), `estimate --fold f.json --pareto f.json` the folding (the chart
 * was written before the folding was read), and `synth DIR -o DIR --force` the design. Each is
 * BNN141 now, exit 1, with nothing changed; also through a symbolic link to the input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeTree, snapshot, temporaries, type Tree } from './helpers.js';

let tree: Tree | null = null;
afterEach(() => {
  if (tree) rmSync(tree.root, { recursive: true, force: true });
  tree = null;
});

/** A tree with the model, the ONNX file, an input file and a folding in the working folder, and a design `out` that holds a copy of the model. */
function setup(): Tree {
  const t = (tree = makeTree());
  copyFileSync(t.model, join(t.cwd, 'tiny.json'));
  copyFileSync(t.onnx, join(t.cwd, 'tiny.onnx'));
  writeFileSync(join(t.cwd, 'in.json'), JSON.stringify({ inputs: [[1, 2, 3, 4, 5, 6, 7, 8]] }));
  writeFileSync(join(t.cwd, 'fold.json'), JSON.stringify({ layers: [{ pe: 1, simd: 1 }, { pe: 1, simd: 1 }] }));
  symlinkSync('tiny.json', join(t.cwd, 'model-link'));
  const r = cli(t.cwd, ['generate', 'tiny.json', '-o', 'out'], t.env);
  if (r.status !== 0) throw new Error(r.stderr);
  copyFileSync(t.model, join(t.cwd, 'out', 'model.json'));
  writeFileSync(join(t.cwd, 'out', 'in.json'), JSON.stringify({ inputs: [[1, 2, 3, 4, 5, 6, 7, 8]] }));
  return t;
}

const CASES: [string, string[], RegExp][] = [
  ['import over the file it imports', ['import', 'tiny.onnx', '--input-type', 'int8', '--model-output', 'scores', '-o', 'tiny.onnx'], /output file '.*\/tiny.onnx': it is the file '.*\/tiny.onnx', an input of this command/],
  ['simulate --vcd over the model', ['simulate', 'tiny.json', '--vectors', '1', '--vcd', 'tiny.json'], /it is the file '.*\/tiny.json', an input/],
  ['simulate --vcd over the model through a link', ['simulate', 'tiny.json', '--vectors', '1', '--vcd', 'model-link'], /it is the file '.*\/tiny.json', an input/],
  ['simulate --vcd over --input', ['simulate', 'tiny.json', '--input', 'in.json', '--vcd', 'in.json'], /it is the file '.*\/in.json', an input/],
  ['estimate --pareto over --fold', ['estimate', 'tiny.json', '--fold', 'fold.json', '--pareto', 'fold.json'], /it is the file '.*\/fold.json', an input/],
  ['generate into the design folder that holds the model', ['generate', 'out/model.json', '-o', 'out'], /output folder '.*\/out': it is the folder that holds '.*\/out\/model.json', an input/],
  ['generate --force into the folder that holds the model', ['generate', 'out/model.json', '-o', 'out', '--force'], /the folder that holds '.*\/out\/model.json'/],
  ['verify into the folder that holds --input', ['verify', 'tiny.json', '--simulator', 'ts', '--input', 'out/in.json', '-o', 'out'], /the folder that holds '.*\/out\/in.json'/],
  ['synth --force with the design folder as work folder', ['synth', 'out', '--arch', 'generic', '-o', 'out', '--force'], /output folder '.*\/out': it is '.*\/out', an input of this command/],
];

describe('an output never replaces an input of the same command', () => {
  it.each(CASES)('%s: BNN141, nothing changed', (_what, args, message) => {
    const t = setup();
    const before = snapshot(t.root);
    const r = cli(t.cwd, args, t.env);
    expect(r.stderr).toMatch(/^error\[BNN141\]: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^ {4}at |internal error/m);
    expect(r.status).toBe(1);
    expect(snapshot(t.root)).toEqual(before);
    expect(temporaries(t.root)).toEqual([]);
  });

  it('estimate reads a damaged folding before it writes the chart (nothing written)', () => {
    const t = setup();
    writeFileSync(join(t.cwd, 'bad-fold.json'), '{bad');
    const before = snapshot(t.root);
    const r = cli(t.cwd, ['estimate', 'tiny.json', '--fold', 'bad-fold.json', '--pareto', 'chart.html'], t.env);
    expect(r.stderr).toMatch(/^error\[BNN001\]: folding file is not valid JSON/);
    expect(r.status).toBe(1);
    expect(snapshot(t.root)).toEqual(before);
  });

  it('other outputs beside the inputs are still written', () => {
    const t = setup();
    expect(cli(t.cwd, ['import', 'tiny.onnx', '--input-type', 'int8', '--model-output', 'scores', '-o', 'imported.json'], t.env).status).toBe(0);
    expect(cli(t.cwd, ['generate', 'out/model.json', '-o', 'out2'], t.env).status).toBe(0);
    expect(cli(t.cwd, ['generate', 'tiny.json', '-o', 'out'], t.env).status).toBe(0);
  });
});
