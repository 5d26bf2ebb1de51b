#!/usr/bin/env node
/**
 * bnn-hw command line. The single catch site: diagnostics -> exit 1 (input) / 2 (usage) / 3 (tool);
 * a filesystem error nobody mapped (a system call and a path or a known errno) -> BNN142, exit 1; anything else
 * is an internal error -> exit 70 without a stack trace (BNN_DEBUG=1 shows it).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { isFsError, uncaughtFsDiagnostic } from '../util/fs-errors.js';
import { err, printDiagnostics } from './output.js';
import { registerInspect } from './inspect.js';
import { registerInfer } from './infer.js';
import { registerSchema } from './schema.js';
import { registerGenerate, registerVerify } from './hw.js';
import { registerSimulate } from './simulate.js';
import { registerPlan } from './plan.js';
import { registerImport } from './import.js';
import { registerEstimate } from './estimate.js';
import { registerSynth } from './synth.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export function buildProgram(): Command {
  const program = new Command('bnn-hw');
  program
    .description('Compile trained Binarized Neural Networks into streaming, verified Verilog dataflow hardware.')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 input error (diagnostics), 2 usage, 3 external tool failure, 70 internal error.\n\n' +
        'Examples:\n  $ bnn-hw import ../shared/models/qonnx-TFC_1W1A.onnx --input-type uint8 --input-divisor 255 -o tfc.json\n  $ bnn-hw inspect examples/tfc.json\n  $ bnn-hw infer examples/tfc.json --input examples/tfc-inputs.json --json\n',
    );
  // before the subcommands are added: they inherit these settings (else a subcommand's usage error
  // would exit the process with code 1 instead of reaching the catch site below)
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerImport(program);
  registerInspect(program);
  registerInfer(program);
  registerPlan(program);
  registerGenerate(program);
  registerVerify(program);
  registerSimulate(program);
  registerEstimate(program);
  registerSynth(program);
  registerSchema(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const wantsJson = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof DiagnosticError) {
      printDiagnostics(e.diagnostics, wantsJson);
      return e.exitCode;
    }
    const fsd = isFsError(e) ? uncaughtFsDiagnostic(e) : null;
    if (fsd) {
      printDiagnostics([fsd], wantsJson);
      return 1;
    }
    err(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env['BNN_DEBUG'] && e instanceof Error && e.stack) err(e.stack);
    else err('this is a bug in bnn-hw; rerun with BNN_DEBUG=1 for details and report it');
    return 70;
  }
}

// a closed pipe (`bnn-hw estimate ... | head`) ends the output quietly, as for other Unix tools
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
