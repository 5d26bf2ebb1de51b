import type { Command } from 'commander';
import { jsonSchema } from '../frontend/schema.js';
import { writeFileAtomic } from '../util/fs.js';
import { out } from './output.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of model.json (generated from the definitions in the code)')
    .option('-o, --output <file>', 'write it to a file instead')
    .addHelpText('after', '\nExample:\n  $ bnn-hw schema -o docs/model.schema.json')
    .action((opts: { output?: string }) => {
      const text = JSON.stringify(jsonSchema(), null, 2) + '\n';
      if (opts.output) writeFileAtomic(opts.output, text);
      else out(text);
    });
}
