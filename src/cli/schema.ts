import type { Command } from 'commander';
import { jsonSchema } from '../frontend/schema.js';
import { writeFileOutput } from '../util/output-file.js';
import { out } from './output.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of model.json (generated from the definitions in the code)')
    .option('-o, --output <file>', 'write it to a file instead')
    .addHelpText('after', '\nExample:\n  $ bnn-hw schema -o docs/model.schema.json')
    .action((opts: { output?: string }) => {
      const text = JSON.stringify(jsonSchema(), null, 2) + '\n';
      if (opts.output !== undefined) writeFileOutput(opts.output, text);
      else out(text);
    });
}
