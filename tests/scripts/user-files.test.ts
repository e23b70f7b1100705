// Issue 18, spawned: the `focalgrad` command on a user's own files and names. Each case of the list is run
// as a user would run it, in a directory of its own, and checked for its new outcome: refused before any training
// (exit 2, one line, the file untouched), or done right.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMAND = join(ROOT, 'scripts/focalgrad.ts');
// tsx's ESM loader by its URL: the children run in a directory of their own, where 'tsx' would not resolve.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
// NOTE: children's coverage goes to a throwaway folder (see train-cli.test.ts for why).
const childEnv = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };
const TINY = ['--loss', 'ce', '--epochs', '1', '--hidden', '4'];

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function focalgrad(cwd: string, args: string[], options: { input?: string; timeout?: number } = {}): Ran {
  const child = spawnSync(process.execPath, ['--import', TSX, COMMAND, ...args], {
    cwd,
    encoding: 'utf8',
    env: childEnv,
    input: options.input,
    timeout: options.timeout ?? 120_000,
    killSignal: 'SIGKILL',
  });
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

// A refusal: exit 2, one line on stderr (the error, then where the help is), nothing trained.
function refused(ran: Ran, fragments: readonly string[]): void {
  assert.is(ran.status, 2, `exit ${ran.status}: ${ran.stderr}`);
  const lines = ran.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, `one line on stderr, got ${lines.length}: ${ran.stderr.slice(0, 500)}`);
  for (const fragment of fragments) assert.ok(ran.stderr.includes(fragment), `"${fragment}" in ${ran.stderr.slice(0, 500)}`);
  assert.not.ok(/epoch 1\//.test(ran.stderr), 'refused before training');
  assert.is(ran.stdout, '');
}

function inDir(body: (dir: string) => void): () => void {
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'focalgrad-user-'));
    try {
      body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

// A CSV of two numeric features and a label column, `perClass` rows of each class name.
function csv(classes: readonly string[], perClass = 12, header = 'a,b,label'): string {
  const rows = [header];
  classes.forEach((name, c) => {
    // RFC 4180 quoting: the name's own characters (control characters included) between quotes, " doubled.
    for (let i = 0; i < perClass; i++) rows.push(`${c * 3 + (i % 4) / 4},${(i * 7) % 5},"${name.replace(/"/g, '""')}"`);
  });
  return `${rows.join('\n')}\n`;
}

// ---- outputs never touch inputs ----

test(
  '--save data.csv (the --data file itself) is refused before training; data.csv is untouched',
  inDir((dir) => {
    const text = csv(['x', 'y']);
    writeFileSync(join(dir, 'data.csv'), text);
    refused(focalgrad(dir, ['train', '--data', 'data.csv', '--label', 'label', ...TINY, '--save', 'data.csv']), ['--save data.csv', '--data']);
    assert.is(readFileSync(join(dir, 'data.csv'), 'utf8'), text);
  }),
);

test(
  '--out . --overwrite where the data lives is refused: the folder was not made by a focalgrad run; nothing is removed',
  inDir((dir) => {
    writeFileSync(join(dir, 'd.csv'), csv(['x', 'y']));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    refused(focalgrad(dir, ['train', '--data', 'd.csv', '--label', 'label', ...TINY, '--out', '.', '--overwrite']), ['--out .']);
    assert.equal(readdirSync(dir).sort(), ['d.csv', 'notes.txt']);
  }),
);

test(
  '--out D/run --save D/run-model.json is accepted (the inside-check is a path check, not a prefix match)',
  inDir((dir) => {
    writeFileSync(join(dir, 'd.csv'), csv(['x', 'y']));
    const ran = focalgrad(dir, ['train', '--data', 'd.csv', '--label', 'label', ...TINY, '--out', 'D/run', '--save', 'D/run-model.json']);
    assert.is(ran.status, 0, ran.stderr);
    assert.ok(existsSync(join(dir, 'D/run/metrics.json')) && existsSync(join(dir, 'D/run-model.json')));
  }),
);

test(
  '--save with a 240-character file name is refused before training, naming --save',
  inDir((dir) => {
    writeFileSync(join(dir, 'd.csv'), csv(['x', 'y']));
    const long = `${'m'.repeat(240)}.safetensors`;
    refused(focalgrad(dir, ['train', '--data', 'd.csv', '--label', 'label', ...TINY, '--save', long]), ['--save', 'cannot be written']);
    assert.equal(readdirSync(dir), ['d.csv']);
  }),
);

test(
  'vectors --out under a full disk (ulimit -f) leaves the old v.json whole: the file is written aside and renamed',
  inDir((dir) => {
    const old = '{"old": true}\n';
    writeFileSync(join(dir, 'v.json'), old);
    const child = spawnSync('bash', ['-c', `ulimit -f 10; exec "${process.execPath}" --import "${TSX}" "${COMMAND}" vectors --out v.json`], {
      cwd: dir,
      encoding: 'utf8',
      env: childEnv,
      timeout: 120_000,
    });
    assert.not.equal(child.status, 0, 'the write failed');
    assert.is(readFileSync(join(dir, 'v.json'), 'utf8'), old, 'v.json is the old file, whole');
  }),
);

// ---- names are data ----

test(
  'a class named with terminal escapes prints as text; long and control-character names still give every file',
  inDir((dir) => {
    writeFileSync(join(dir, 'd.csv'), csv(['\x1b]0;owned\x07\x1b[2J', 'bearing failure (outer race)', 'a\u0001b']));
    const ran = focalgrad(dir, ['train', '--data', 'd.csv', '--label', 'label', ...TINY, '--out', 'run']);
    assert.is(ran.status, 0, ran.stderr);
    assert.not.ok(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(ran.stdout + ran.stderr), JSON.stringify(ran.stdout));
    assert.ok(ran.stdout.includes('\\x1b]0;owned\\x07\\x1b[2J'), 'the name shows as its escapes');
    for (const name of ['confusion.svg', 'recall.svg', 'regions.svg', 'report.html']) {
      const text = readFileSync(join(dir, 'run', name), 'utf8');
      assert.not.ok(/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(text), `${name} is valid XML text`);
    }
  }),
);

// ---- reading a table ----

test(
  '--data /dev/zero is refused at once (not a regular file); a file over --max-bytes names the flag',
  inDir((dir) => {
    refused(focalgrad(dir, ['train', '--data', '/dev/zero', '--label', 'label', ...TINY], { timeout: 30_000 }), ['--data /dev/zero is a device']);
    writeFileSync(join(dir, 'd.csv'), csv(['x', 'y']));
    refused(focalgrad(dir, ['train', '--data', 'd.csv', '--label', 'label', ...TINY, '--max-bytes', '100']), ['larger than 100 bytes', '--max-bytes']);
    const ran = focalgrad(dir, ['train', '--data', 'd.csv', '--label', 'label', ...TINY, '--max-bytes', '100000', '--out', 'run']);
    assert.is(ran.status, 0, ran.stderr);
  }),
);

test(
  'Windows-1252 labels café / cafè are refused naming the byte and the encoding, not merged into one class',
  inDir((dir) => {
    const bytes = Buffer.concat([Buffer.from('a,label\n1,caf'), Buffer.of(0xe9), Buffer.from('\n2,caf'), Buffer.of(0xe8), Buffer.from('\n')]);
    writeFileSync(join(dir, 'w.csv'), bytes);
    refused(focalgrad(dir, ['train', '--data', 'w.csv', '--label', 'label', ...TINY]), ['byte 13 (0xE9', 'Windows-1252']);
  }),
);

test(
  'a UTF-16 file with its BOM trains; without it, the Error names UTF-16; a CRLF header over LF rows reads',
  inDir((dir) => {
    const text = csv(['x', 'y']);
    writeFileSync(join(dir, 'u16.csv'), Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(text, 'utf16le')]));
    assert.is(focalgrad(dir, ['train', '--data', 'u16.csv', '--label', 'label', ...TINY, '--out', 'r1']).status, 0);
    writeFileSync(join(dir, 'bare.csv'), Buffer.from(text, 'utf16le'));
    refused(focalgrad(dir, ['train', '--data', 'bare.csv', '--label', 'label', ...TINY]), ['UTF-16 LE text without its byte-order mark']);
    writeFileSync(join(dir, 'crlf.csv'), text.replace('\n', '\r\n'));
    const ran = focalgrad(dir, ['train', '--data', 'crlf.csv', '--label', 'label', ...TINY, '--out', 'r2']);
    assert.is(ran.status, 0, ran.stderr);
  }),
);

test(
  'x,label,label, labels 1 and 1.0, a one-class file, pandas\' index, a 5 MB bad cell: one readable line each, exit 2',
  inDir((dir) => {
    const twice = ['a,label,label', '1,x,x', '2,y,y', '3,x,x', '4,y,y'].join('\n');
    writeFileSync(join(dir, 'twice.csv'), twice);
    refused(focalgrad(dir, ['train', '--data', 'twice.csv', '--label', 'label', ...TINY]), ['readCsv: the label column "label" appears twice']);
    writeFileSync(join(dir, 'spelt.csv'), 'a,label\n1,1\n2,1.0\n3,2\n4,2.0\n');
    refused(focalgrad(dir, ['train', '--data', 'spelt.csv', '--label', 'label', ...TINY]), ['labels "1" and "1.0" are the same number']);
    writeFileSync(join(dir, 'one.csv'), 'a,label\n1,x\n2,x\n');
    refused(focalgrad(dir, ['train', '--data', 'one.csv', '--label', 'label', ...TINY]), ['readCsv: labels must name at least 2 classes']);
    writeFileSync(join(dir, 'pandas.csv'), ',a,label\n0,1,x\n1,2,y\n2,3,x\n3,4,y\n');
    refused(focalgrad(dir, ['train', '--data', 'pandas.csv', '--label', 'label', ...TINY]), ["pandas' to_csv()"]);
    writeFileSync(join(dir, 'huge.csv'), `a,label\n1,x\n${'z'.repeat(5_000_000)},y\n`);
    const huge = focalgrad(dir, ['train', '--data', 'huge.csv', '--label', 'label', ...TINY]);
    refused(huge, ['readCsv: row 3, column "a": expected a number']);
    assert.ok(huge.stderr.length < 400, `a message of ${huge.stderr.length} characters`);
  }),
);

test(
  'a column of ±1e160 trains with a finite std in metrics.json (its square overflowed to Infinity, the column to 0, metrics to null)',
  inDir((dir) => {
    const rows = ['a,b,label'];
    for (let i = 0; i < 24; i++) rows.push(`${i % 2 ? '' : '-'}1e160,${i % 5},${i % 2 ? 'x' : 'y'}`);
    writeFileSync(join(dir, 'big.csv'), `${rows.join('\n')}\n`);
    const ran = focalgrad(dir, ['train', '--data', 'big.csv', '--label', 'label', ...TINY, '--out', 'run']);
    assert.is(ran.status, 0, ran.stderr);
    const metrics = JSON.parse(readFileSync(join(dir, 'run/metrics.json'), 'utf8')) as { standardization: { std: number[] } };
    assert.ok(metrics.standardization.std[0] > 9e159 && metrics.standardization.std[0] < 1.1e160, `std ${metrics.standardization.std[0]}`);
  }),
);

test(
  'a 60-row × 6,000-column CSV trains one epoch and plots its regions (the dense PCA took 102 s and 1.5 GB)',
  inDir((dir) => {
    const rows = [[...Array.from({ length: 6000 }, (_, j) => `f${j}`), 'label'].join(',')];
    for (let i = 0; i < 60; i++) rows.push([...Array.from({ length: 6000 }, (_, j) => ((i * 31 + j * 17) % 101) / 10), i % 2 ? 'x' : 'y'].join(','));
    writeFileSync(join(dir, 'wide.csv'), `${rows.join('\n')}\n`);
    const ran = focalgrad(dir, ['train', '--data', 'wide.csv', '--label', 'label', ...TINY, '--out', 'run'], { timeout: 90_000 });
    assert.is(ran.status, 0, `${ran.signal} ${ran.stderr}`);
    assert.ok(readFileSync(join(dir, 'run/regions.svg'), 'utf8').includes('>PC1</text>'));
  }),
);

// ---- flags ----

test(
  '--lr 1e400 is refused (not read as Infinity); --data foo.txt is a file to read, not a built-in name',
  inDir((dir) => {
    refused(focalgrad(dir, ['train', ...TINY, '--lr', '1e400']), ['--lr must be a number, got 1e400']);
    writeFileSync(join(dir, 'foo.txt'), csv(['x', 'y']));
    const ran = focalgrad(dir, ['train', '--data', 'foo.txt', '--label', 'label', ...TINY, '--out', 'run']);
    assert.is(ran.status, 0, ran.stderr);
  }),
);

// ---- the other subcommands, and signals ----

test(
  'loss: logits nested 10,000 deep is one line and exit 2 (it was an uncaught RangeError); loss | head -c 100 ends quietly',
  inDir((dir) => {
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const nested = focalgrad(dir, ['loss', '--kind', 'focal', '--logits', deep, '--target', '[0]']);
    assert.is(nested.status, 2, nested.stderr.slice(0, 300));
    assert.is(nested.stderr.trimEnd().split('\n').length, 1);
    assert.ok(nested.stderr.startsWith('focalgrad: --logits: arrays nested more than 64 deep'), nested.stderr.slice(0, 200));
    // 3,000 rows of gradient is far more than head reads: the write after it has gone is an EPIPE.
    const request = { kind: 'focal', logits: Array.from({ length: 3000 }, (_, i) => [i % 3, 1, -1]), target: Array.from({ length: 3000 }, (_, i) => i % 3) };
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" --import "${TSX}" "${COMMAND}" loss < request.json 2> err.txt | head -c 100 > out.txt`], {
      cwd: dir,
      encoding: 'utf8',
      env: childEnv,
      timeout: 120_000,
    });
    assert.is(piped.status, 0);
    assert.is(readFileSync(join(dir, 'out.txt'), 'utf8').length, 100);
    assert.is(readFileSync(join(dir, 'err.txt'), 'utf8'), '', 'no EPIPE stack trace');
  }),
);

test('SIGHUP (a closed terminal) mid-run is cleaned up like SIGINT: exit 129, no files, no temporary directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-user-'));
  try {
    const child = spawn(process.execPath, ['--import', TSX, COMMAND, 'train', '--loss', 'ce', '--n', '20000', '--hidden', '4', '--epochs', '10000', '--out', 'run'], { cwd: dir, env: childEnv });
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (/epoch 1\//.test(stderr)) child.kill('SIGHUP');
      });
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
    assert.is(code, 129, stderr);
    assert.ok(stderr.includes('stopped by SIGHUP; no files written'), stderr);
    assert.equal(readdirSync(dir), [], 'nothing left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.after(() => rmSync(childEnv.NODE_V8_COVERAGE, { recursive: true, force: true }));

test.run();
