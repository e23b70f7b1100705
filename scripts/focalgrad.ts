// The `focalgrad` command (the package's bin): train, loss and vectors. Usage errors: one line, exit 2.
import { parseArgs } from 'node:util';
import { UsageError, lossCommand } from './loss-command.js';
import { writeAtomic } from './output.js';
import { referenceVectors, vectorsJson } from './vectors.js';

const USAGE = `usage: focalgrad <command> [flags]

  focalgrad train [flags]     train the MLP: the flags and files of npm run train (focalgrad train --help)
  focalgrad loss [flags]      one loss's value and gradient as JSON (focalgrad loss --help)
  focalgrad vectors --out F   write the reference vectors of every loss (focalgrad vectors --help)
  focalgrad --help            this text`;

const VECTORS_USAGE = `usage: focalgrad vectors --out FILE

Writes the reference vectors: for every loss, a grid of inputs and options under each framework's
conventions, with the value and the gradient as 17-significant-digit JSON numbers. The same file
every time. Schema: docs/vectors.md in the focalgrad repository.

  --out FILE   where to write them (- for stdout)
  --help       this text`;

const EXIT_USAGE = 2;

function vectorsCommand(args: string[]): string {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args, strict: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (focalgrad vectors --help lists the flags)`);
  }
  if (values.help === true) return `${VECTORS_USAGE}\n`;
  if (values.out === undefined || values.out === '') throw new UsageError('--out: missing (expected a file path, or - for stdout)');
  const vectors = referenceVectors();
  const text = vectorsJson(vectors);
  if (values.out === '-') return text;
  try {
    writeAtomic(values.out, text);
  } catch (error) {
    throw new UsageError(`--out: cannot write ${values.out}: ${(error as Error).message}`);
  }
  return `wrote ${vectors.length} vectors to ${values.out}\n`;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'train') {
    // scripts/train.ts reads its flags from process.argv and runs when imported: the very code of npm run train.
    process.argv = [process.argv[0], 'focalgrad train', ...rest];
    await import('./train.js');
    return;
  }
  if (command === 'loss') {
    const line = await lossCommand(rest);
    if (line !== null) process.stdout.write(`${line}\n`);
    return;
  }
  if (command === 'vectors') {
    process.stdout.write(vectorsCommand(rest));
    return;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)} (expected train, loss or vectors)`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`focalgrad: ${error.message}\n`);
    process.exit(EXIT_USAGE);
  }
  process.stderr.write(`focalgrad: ${error.stack ?? error.message}\n`);
  process.exit(1);
});

