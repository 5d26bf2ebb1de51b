import type { Command } from 'commander';
import { loadModel } from '../api/model.js';
import { inspect, inspectText } from '../api/inspect.js';
import { json, out } from './output.js';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('show a model layer by layer: shapes, fan-in, weight bits and operations per frame')
    .argument('<model>', 'model.json (format bnn-hw/model@1)')
    .option('--json', 'print JSON instead of a table')
    .addHelpText('after', '\nExamples:\n  $ bnn-hw inspect examples/tfc.json\n  $ bnn-hw inspect examples/cnv.json --json')
    .action((file: string, opts: { json?: boolean }) => {
      const m = loadModel(file);
      if (opts.json) {
        json(inspect(m));
        return;
      }
      out(inspectText(m));
    });
}
