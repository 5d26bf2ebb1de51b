/** `plan`: the folding and the planned design of a model, nothing written (src/api/plan.ts); residual graphs too. */
import type { Command } from 'commander';
import type { FoldOptions } from '../flows/build.js';
import { loadModel } from '../api/model.js';
import { plan } from '../api/plan.js';
import { foldOptions } from './hw.js';
import { json, out, table } from './output.js';

export function registerPlan(program: Command): void {
  foldOptions(
    program
      .command('plan')
      .description('plan the design of a model (chain or residual graph): per layer PE, SIMD and cycles, cycles per frame, latency; nothing written')
      .argument('<model>', 'model.json'),
  )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nA residual graph (docs/graphs.md) also lists its nodes (chain segments, dup / add / gap, bypass FIFOs and width\n' +
        'converters) and each bypass FIFO\'s sized depth with where it came from.\n\nExamples:\n' +
        '  $ bnn-hw plan examples/tfc.json --fold examples/folds/tfc-finn.json\n' +
        '  $ bnn-hw plan examples/residual_mlp.json --target-fps 50000 --json\n',
    )
    .action((file: string, opts: FoldOptions & { json?: boolean }) => {
      const r = plan(loadModel(file), opts);
      if (opts.json) return json(r);
      out(table(['layer', 'kind', 'PE', 'SIMD', 'cycles/frame'], r.layers.map((l) => [l.name, l.kind, l.pe, l.simd, l.cycles]), [false, false, true, true, true]));
      if (r.graph) {
        out(table(['node', 'kind', 'cycles/frame'], r.graph.nodes.map((n) => [n.name, n.kind, n.cyclesPerFrame ?? '-']), [false, false, true]));
        for (const b of r.graph.bypass) out(`bypass FIFO ${b.name} -> ${b.add}: depth ${b.depth}; ${b.origin}`);
      }
      out(`cycles per frame ${r.cyclesPerFrame}, latency ${r.latencyCycles} cycles`);
    });
}
