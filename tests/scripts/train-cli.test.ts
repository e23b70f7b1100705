// Tests for `npm run train`: the flag parser in-process, then a few tiny spawned runs for exit codes and the files written.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MLP } from '../../models/index.js';
import { DEFAULT_MAX_BYTES, DEFAULT_SEEDS, MAX_EPOCHS, type Plan, compareOptions, parseArgs, resolveData, usage } from '../../scripts/cli.js';
import { DATASETS, LOSSES, OPTIMIZERS, defaultConfig, prepareRun } from '../../train/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TINY = ['--epochs', '1', '--n', '300', '--hidden', '4'];

function plan(argv: string[]): Plan {
  const parsed = parseArgs(argv);
  if ('error' in parsed) throw new Error(`expected ${argv.join(' ')} to parse, got error: ${parsed.error}`);
  return parsed;
}

function errorOf(argv: string[]): string {
  const parsed = parseArgs(argv);
  assert.ok('error' in parsed, `expected ${argv.join(' ')} to be rejected`);
  return (parsed as { error: string }).error;
}

// NOTE: the child's V8 coverage goes to a throwaway folder: c8 would merge its differently
// transpiled copy of the same files with this process's, and the merged line counts come out wrong.
// (Node hands NODE_V8_COVERAGE to every child unless the child's env sets it explicitly.)
const childEnv = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };

// NOTE: a child still running after `timeout` ms is killed with SIGKILL (it may be ignoring SIGTERM),
// so that a hang fails the test instead of stalling it.
function run(args: string[], timeout?: number): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: childEnv,
    timeout,
    killSignal: 'SIGKILL',
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

// Starts a long run, sends it `signal` once its stderr shows `when`, and resolves with how it ended
// (SIGKILL after 20 s, should the signal not stop it).
function interrupted(args: string[], when: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args], { cwd: ROOT, env: childEnv });
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (!sent && stderr.includes(when)) sent = child.kill(signal);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test('parseArgs: no flags is the comparison, with nothing set: train/ fills in defaultConfig', () => {
  const defaults = { grid: null, seeds: null, select: null, jobs: null };
  assert.equal(plan([]), { mode: 'compare', config: {}, csv: null, compare: defaults, out: null, overwrite: false });
  // The comparison's own defaults fill what the flags leave out: DEFAULT_SEEDS splits, the 2 × 2.
  assert.equal(compareOptions({}, defaults), {});
  assert.is(DEFAULT_SEEDS, 5);
  assert.equal(plan(['--compare']), plan([]));
  assert.equal(plan(['--help']), { mode: 'help' });
  assert.equal(plan(['-h']), { mode: 'help' });
});

test('parseArgs: every documented flag, as --flag value and as --flag=value, sets only its field', () => {
  const argv = [
    '--loss', 'focal-star', '--gamma', '0.5', '--alpha', '0.25,1,4,2', '--data', 'spirals', '--n', '1200',
    '--ratios', '0.7,0.2,0.05,0.05', '--hidden', '16,8,4', '--activation', 'tanh', '--optimizer', 'sgd', '--lr', '1e-3',
    '--epochs', '12', '--batch', '100', '--seed', '-3', '--out', 'somewhere', '--save', 'model.json',
  ];
  const expected: Plan = {
    mode: 'single',
    config: {
      data: 'spirals', n: 1200, ratios: [0.7, 0.2, 0.05, 0.05], loss: 'focal-star', gamma: 0.5, alpha: [0.25, 1, 4, 2],
      hidden: [16, 8, 4], activation: 'tanh', optimizer: 'sgd', lr: 0.001, epochs: 12, batch: 100, seed: -3,
    },
    csv: null,
    out: 'somewhere',
    overwrite: false,
    save: 'model.json',
  };
  assert.equal(plan(argv), expected);
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i += 2) joined.push(`${argv[i]}=${argv[i + 1]}`);
  assert.equal(plan(joined), expected);
  assert.equal(plan(['--seeds', '5', '--gamma', 'flsd53']), {
    mode: 'compare',
    config: { gamma: 'flsd53' },
    csv: null,
    compare: { grid: null, seeds: 5, select: null, jobs: null },
    out: null,
    overwrite: false,
  });
  assert.is((plan(['--out', 'x', '--overwrite']) as { overwrite: boolean }).overwrite, true);
});

test('parseArgs: the comparison\'s flags, and the trainer\'s new fields', () => {
  const compared = plan(['--grid', 'loss=ce,focal gamma=1,2', '--folds', '4', '--select', 'macroF1', '--jobs', '3', '--alpha', 'inverse']);
  assert.equal(compared, {
    mode: 'compare',
    config: { folds: 4, alpha: 'inverse' },
    csv: null,
    compare: { grid: 'loss=ce,focal gamma=1,2', seeds: null, select: 'macroF1', jobs: 3 },
    out: null,
    overwrite: false,
  });
  assert.equal(compareOptions({ folds: 4 }, (compared as Extract<Plan, { mode: 'compare' }>).compare), { folds: 4, grid: 'loss=ce,focal gamma=1,2', select: 'macroF1' });
  const single = plan([
    '--loss', 'ce', '--hidden', 'none', '--val-fraction', '0.25', '--test-fraction', '0.25', '--weight-decay', '0.01',
    '--epochs', 'auto', '--min-steps', '500', '--patience', 'none',
  ]);
  assert.equal((single as Extract<Plan, { mode: 'single' }>).config, {
    loss: 'ce', hidden: [], valFraction: 0.25, testFraction: 0.25, weightDecay: 0.01, epochs: 'auto', minSteps: 500, patience: null,
  });
  assert.equal((plan(['--loss', 'ce', '--patience', 'auto']) as Extract<Plan, { mode: 'single' }>).config.patience, 'auto');
  assert.equal((plan(['--loss', 'ce', '--patience', '7']) as Extract<Plan, { mode: 'single' }>).config.patience, 7);
  // --refit is a switch of the config, in either mode; without it the field is left to the default (false).
  assert.is((plan(['--refit']) as Extract<Plan, { mode: 'compare' }>).config.refit, true);
  assert.is((plan(['--loss', 'ce', '--refit']) as Extract<Plan, { mode: 'single' }>).config.refit, true);
  assert.not.ok('refit' in (plan(['--loss', 'ce']) as Extract<Plan, { mode: 'single' }>).config);
});

test('parseArgs: --data FILE.csv needs --label; --no-header takes a column index; n and ratios are the built-ins\' only', () => {
  assert.equal((plan(['--data', 'x.csv', '--label', 'kind', '--loss', 'ce']) as Extract<Plan, { mode: 'single' }>).csv, {
    csv: 'x.csv',
    label: 'kind',
    header: true,
    maxBytes: DEFAULT_MAX_BYTES,
  });
  const headless = plan(['--data', 'x.csv', '--label', '3', '--no-header']) as Extract<Plan, { mode: 'compare' }>;
  assert.equal(headless.csv, { csv: 'x.csv', label: 3, header: false, maxBytes: DEFAULT_MAX_BYTES });
  // --max-bytes raises the limit of the file's size; it means nothing without a file.
  assert.is((plan(['--data', 'x.csv', '--label', 'k', '--max-bytes', '1000']) as Extract<Plan, { mode: 'compare' }>).csv?.maxBytes, 1000);
  assert.match(errorOf(['--max-bytes', '1000']), /^--max-bytes goes with --data FILE.csv/);
  assert.match(errorOf(['--data', 'x.csv', '--label', 'k', '--max-bytes', '0']), /^--max-bytes must be a positive integer, got 0/);
  assert.not.ok('data' in headless.config, 'the file is read later, into config.data');
  const cases: [string[], string][] = [
    [['--data', 'x.csv'], '--data x.csv needs --label COLUMN'],
    [['--data', 'x.csv', '--label', 'kind', '--no-header'], '--label must be a 0-based column index with --no-header, got kind'],
    [['--data', 'x.csv', '--label', 'k', '--n', '100'], '--n applies to the built-in datasets only, not to --data x.csv'],
    [['--data', 'x.csv', '--label', 'k', '--ratios', '1,1'], '--ratios applies to the built-in datasets only'],
    [['--label', 'kind'], '--label goes with --data FILE.csv, not with a built-in dataset'],
    [['--data', 'blobs', '--no-header'], '--no-header goes with --data FILE.csv'],
  ];
  for (const [argv, message] of cases) assert.ok(errorOf(argv).includes(message), `${argv.join(' ')}: ${errorOf(argv)}`);
});

test('resolveData: reads the file through readCsv; an unreadable file names --data and the built-ins', () => {
  const planned = plan(['--data', 'animals.csv', '--label', 'kind', '--loss', 'focal']) as Extract<Plan, { mode: 'single' }>;
  const config = resolveData(planned, () => 'a,kind\n1,ant\n2,bee\n3,ant\n4,bee\n');
  const data = config.data as { classNames: string[]; name: string };
  assert.equal(data.classNames, ['ant', 'bee']);
  assert.is(data.name, 'animals.csv');
  assert.is(config.loss, 'focal');
  assert.throws(() => resolveData(planned, () => { throw new Error('ENOENT: no such file'); }), /^--data animals.csv cannot be read \(ENOENT: no such file\); the built-in datasets are blobs, spirals, needles$/);
  assert.throws(() => resolveData(planned, () => 'a,kind\n1,ant\nx,bee\n'), /readCsv: row 3, column "a": expected a number, got "x"/);
  assert.is(resolveData(plan(['--n', '300']) as Extract<Plan, { mode: 'compare' }>, () => '').n, 300);
});

test('the usage is derived from the registries and defaultConfig: every name, every default; it opens with the command as run', () => {
  const USAGE = usage('npm run train --');
  assert.is(USAGE.split('\n')[0], 'usage: npm run train -- [flags]');
  assert.is(usage('focalgrad train').split('\n')[0], 'usage: focalgrad train [flags]');
  for (const name of [...Object.keys(LOSSES), ...Object.keys(OPTIMIZERS), ...Object.keys(DATASETS)]) {
    assert.ok(USAGE.includes(name), `--help lists ${name}`);
  }
  for (const spec of Object.values(LOSSES)) assert.ok(USAGE.includes(spec.description), `--help describes ${spec.name}`);
  assert.ok(USAGE.includes(`(default ${defaultConfig.epochs}: at least 30 epochs and --min-steps steps; at most ${MAX_EPOCHS})`));
  assert.ok(USAGE.includes(`(default ${defaultConfig.minSteps})`));
  assert.ok(USAGE.includes('(default "loss=ce,focal alpha=none,effective")'));
  assert.ok(USAGE.startsWith('usage: npm run train -- [flags]'));
  assert.ok(USAGE.includes(`(default ${defaultConfig.batch})`));
  assert.ok(USAGE.includes(`default lr ${OPTIMIZERS.sgd.defaultLr}`));
  assert.ok(USAGE.includes('--gamma G|flsd53'));
  // A dataset with its own n and ratios says so on its line.
  assert.match(USAGE, `needles: ${DATASETS.needles.description} (default --n 20200 --ratios 100,1)`);
  assert.not.match(USAGE, /blobs: [^\n]*\(default --n/);
});

test('parseArgs: syntax errors name the flag; what a value means is train/\'s to say', () => {
  const cases: [string[], string[]][] = [
    [['--bogus'], ['unknown flag --bogus']],
    [['--lable', 'state'], ['unknown flag --lable (did you mean --label?)']],
    [['--epoch', '5'], ['unknown flag --epoch (did you mean --epochs?)']],
    [['--no-headers'], ['unknown flag --no-headers (did you mean --no-header?)']],
    [['--lr', 'fast'], ['--lr must be a number, got fast']],
    [['--gamma', 'high'], ["--gamma must be a number or 'flsd53', got high"]],
    [['--ratios', '0.85,x,0.03'], ['--ratios must be numbers separated by commas']],
    [['--alpha', 'sometimes', '--loss', 'focal'], ['--alpha', 'sometimes']],
    [['--hidden', '32,,32'], ['--hidden']],
    [['--hidden', '32,1.5'], ['--hidden must be integers']],
    [['--epochs', '2.5'], ['--epochs must be an integer, got 2.5']],
    [['--n', '1e400'], ['--n']],
    [['--seed', '1.5'], ['--seed must be an integer, got 1.5']],
    [['--out', ''], ['--out']],
    [['--loss', ''], ['--loss needs a value, got an empty one']],
    [['--epochs'], ['--epochs needs a value']],
    [['--compare=yes'], ['--compare takes no value']],
    [['--overwrite'], ['--overwrite needs --out']],
    [['--out', 'x', '--overwrite=yes'], ['--overwrite takes no value']],
    [['extra'], ['unexpected argument extra']],
    [['--loss', 'ce', '--compare'], ["--loss sets loss, which the comparison's grid varies (default: loss=ce,focal alpha=none,effective)"]],
    [['--loss', 'ce', '--seeds', '2'], ['--loss sets loss', 'give a --grid without loss=']],
    [['--grid', 'gamma=1,2', '--gamma', '3'], ['--gamma sets gamma, which the comparison\'s grid varies (gamma=1,2)']],
    [['--grid', 'loss=ce gamma=x'], ["grid: gamma expects numbers, got 'x'"]],
    [['--grid', 'data=blobs'], ['grid: expected key=v1,v2,... with a key among loss']],
    [['--seeds', '2', '--folds', '3'], ['--seeds and --folds are two ways to resplit: give one']],
    [['--jobs', '0'], ['--jobs must be at least 1, got 0']],
    [['--patience', 'soon'], ['--patience must be an integer, got soon']],
    [['--hidden', 'nothing'], ['--hidden must be integers separated by commas (e.g. 32,32), or none for a linear model']],
    [['--n', '1000001'], ['--n must be at most 1000000, got 1000001']],
    [['--hidden', '32,4097'], ['--hidden', 'at most 4096', '32,4097']],
    [['--epochs', '10001'], ['--epochs must be at most 10000, got 10001']],
    [['--alpha', 'effective'], ['--alpha sets alpha', 'drop --alpha or give a --grid without alpha=']],
    [['--save', 'm.json'], ['--save needs --loss without comparison flags']],
  ];
  // A word far from every flag is not guessed at.
  assert.is(errorOf(['--bogus']), 'unknown flag --bogus');
  for (const [argv, fragments] of cases) {
    const message = errorOf(argv);
    for (const fragment of fragments) assert.ok(message.includes(fragment), `${argv.join(' ')}: expected "${fragment}" in "${message}"`);
    assert.not.ok(message.includes('\n'), `${argv.join(' ')}: the error is one line`);
  }
  // Well-formed values whose meaning is wrong parse here, and train/ (prepareRun) refuses them, naming the field.
  for (const [argv, message] of [
    [['--lr', '-1'], 'train: lr -1: Adam: lr must be a non-negative finite number'],
    [['--gamma', '-0.5', '--loss', 'focal'], "train: loss 'focal': focalLoss: gamma must be a finite number ≥ 0 or 'flsd53', got -0.5"],
    [['--loss', 'focal-star', '--gamma', '0'], 'focalLossStar: gamma must be a finite number > 0'],
    [['--loss', 'ce', '--gamma', '1'], "train: gamma does not apply to loss 'ce'"],
    [['--loss', 'hinge'], "train: loss must be one of 'ce', 'focal', 'focal-star', got 'hinge'"],
    [['--optimizer', 'lbfgs'], "train: optimizer must be one of 'adam', 'sgd'"],
    [['--epochs', '0'], "train: epochs must be a positive integer or 'auto', got 0"],
    [['--val-fraction', '0.9'], 'splitRows: testFraction must be a number in (0, 1 − valFraction)'],
    [['--weight-decay', '-1'], 'train: weightDecay must be a finite number ≥ 0, got -1'],
    [['--patience', '0'], 'train: patience must be a positive integer'],
    [['--ratios', '1'], 'imbalancedBlobs: ratios must be at least 2'],
  ] as [string[], string][]) {
    const planned = plan(argv) as Extract<Plan, { config: unknown }>;
    assert.throws(() => prepareRun(resolveData(planned, () => '')), (error: Error) => error.message.includes(message), argv.join(' '));
  }
});

test('spawned: a bad flag exits 2 with one line on stderr, the error then a pointer to --help, nothing on stdout', () => {
  for (const args of [['--bogus'], ['--lr', '-1'], ['--ratios', 'a,b,c'], ['--gamma=-1'], ['--n', '10'], ['--data', 'missing.csv', '--label', 'k']]) {
    const { status, stdout, stderr } = run(args);
    assert.is(status, 2, `${args.join(' ')}: ${stderr}`);
    assert.is(stdout, '');
    const lines = stderr.split('\n');
    assert.is(lines.length, 2, 'one line and its newline');
    assert.match(lines[0], /^error: .* \(npm run train -- --help lists the flags\)$/, 'a pointer to the flags follows the error');
    assert.not.ok(stderr.includes('usage: npm run train'), 'the usage does not bury the error');
  }
  assert.match(run(['--lr', '-1']).stderr, /^error: train: lr -1: Adam: lr must be a non-negative finite number, got -1 \(/);
});

test('spawned: a tiny run writes metrics.json (documented keys, no timestamps), plots, report; same seed same metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-train-'));
  try {
    const out = join(dir, 'a', 'b');
    const model = join(dir, 'model.json');
    const first = run(['--loss', 'focal', '--alpha', 'effective', ...TINY, '--out', out, '--save', model]);
    assert.is(first.status, 0, first.stderr);
    const files = ['confusion.svg', 'loss.svg', 'metrics.json', 'recall.svg', 'regions.svg', 'reliability.svg', 'report.html'];
    assert.equal(readdirSync(out).sort(), ['.focalgrad-run', ...files]);
    // The marker: the version that wrote the directory and the files it wrote, which --overwrite may remove.
    const marker = JSON.parse(readFileSync(join(out, '.focalgrad-run'), 'utf8')) as { focalgrad: string; files: string[] };
    assert.is(marker.focalgrad, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    assert.equal(marker.files.sort(), files);
    const text = readFileSync(join(out, 'metrics.json'), 'utf8');
    const metrics = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['loss', 'macroF1', 'balancedAccuracy', 'accuracy', 'ece', 'perClass', 'confusion', 'history']) {
      assert.ok(key in metrics, `metrics.json lacks ${key}`);
    }
    assert.not.match(text, /\d{4}-\d{2}-\d{2}T\d{2}|"(time|date|timestamp)/i);
    assert.match(first.stdout, /macro avg/);
    assert.match(first.stdout, /report: .*report\.html/);
    assert.match(first.stderr, /epoch 1\/1/); // not a TTY: one plain line per epoch
    assert.ok(MLP.fromJSON(JSON.parse(readFileSync(model, 'utf8'))) instanceof MLP);

    const again = join(dir, 'again');
    assert.is(run(['--loss', 'focal', '--alpha', 'effective', ...TINY, '--out', again]).status, 0);
    assert.is(readFileSync(join(again, 'metrics.json'), 'utf8'), text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spawned: --compare writes compare.json and prints the table, the paired differences and the selection; a line per finished run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-compare-'));
  try {
    const { status, stdout, stderr } = run(['--compare', '--seeds', '1', ...TINY, '--jobs', '1', '--out', dir]);
    assert.is(status, 0, stderr);
    assert.equal(readdirSync(dir).sort(), ['.focalgrad-run', 'compare.json', 'confusion.svg', 'loss.svg', 'metrics.json', 'recall.svg', 'regions.svg', 'reliability.svg', 'report.html']);
    // One split: the means alone, no spread, and no interval.
    assert.match(stdout, /^balanced accuracy.*\s\d\.\d{3}\s/m);
    assert.not.match(stdout, /±/);
    assert.match(stdout, /^selected on validation balanced accuracy: /m);
    // A line per finished run (off a terminal), counted: the 2 × 2 is four runs.
    assert.equal(stderr.split('\n').filter((l) => l.startsWith('run ')).map((l) => l.split('  ')[0]), ['run 1/4 finished', 'run 2/4 finished', 'run 3/4 finished', 'run 4/4 finished']);
    // Two worker threads: the same compare.json, byte for byte.
    const two = join(dir, 'two');
    const again = run(['--compare', '--seeds', '1', ...TINY, '--jobs', '2', '--out', two]);
    assert.is(again.status, 0, again.stderr);
    assert.is(readFileSync(join(two, 'compare.json'), 'utf8'), readFileSync(join(dir, 'compare.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spawned: a four-class CSV with string labels runs end to end; a bad file fails before any output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-csv-'));
  try {
    const out = join(dir, 'run');
    const { status, stdout, stderr } = run(['--data', 'docs/examples/machines.csv', '--label', 'state', '--loss', 'focal', '--alpha', 'effective', '--epochs', '2', '--out', out]);
    assert.is(status, 0, stderr);
    for (const name of ['failing', 'misaligned', 'normal', 'worn']) assert.match(stdout, new RegExp(`^${name}\\s+\\d\\.\\d{3}`, 'm'));
    assert.match(stdout, /^focal γ=2, α effective; machines\.csv, 600 rows, 4 features \(standardised\), 4 classes, MLP 4-32-32-4/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { classNames: string[]; standardization: { mean: number[] } };
    assert.equal(metrics.classNames, ['failing', 'misaligned', 'normal', 'worn']);
    assert.is(metrics.standardization.mean.length, 4);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b,kind\n1,2,x\n3,n/a,y\n');
    const badOut = join(dir, 'never');
    const failed = run(['--data', bad, '--label', 'kind', '--loss', 'ce', '--out', badOut]);
    assert.is(failed.status, 2);
    assert.match(failed.stderr, /^error: readCsv: row 3, column "b": expected a number, got "n\/a" \(/);
    assert.not.ok(existsSync(badOut), 'nothing written');
    const missing = run(['--data', bad, '--label', 'class', '--out', badOut]);
    assert.match(missing.stderr, /^error: readCsv: no label column "class"; the columns are "a", "b", "kind" \(/);
    assert.not.ok(existsSync(badOut), 'nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spawned: an --out that cannot be written exits 2 and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-unwritable-'));
  try {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const { status, stdout, stderr } = run(['--loss', 'ce', ...TINY, '--out', join(file, 'run')]);
    assert.is(status, 2);
    assert.is(stdout, '');
    assert.match(stderr, /^error: --out .*a-file[/\\]run cannot be written/);
    assert.equal(readdirSync(dir), ['a-file']);
    assert.is(readFileSync(file, 'utf8'), 'not a directory');

    // A --save whose directory cannot be made: nothing written, the --out directory made for it removed again.
    const out = join(dir, 'out');
    const bad = run(['--loss', 'ce', ...TINY, '--out', out, '--save', join(file, 'model.json')]);
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /^error: --save /);
    assert.not.ok(existsSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spawned: an --out under /proc exits 2 at once (mkdir -p there never returns)', () => {
  if (process.platform !== 'linux') return; // /proc is Linux's
  const started = Date.now();
  const { status, stdout, stderr } = run(['--loss', 'ce', ...TINY, '--out', '/proc/focalgrad-test'], 20_000);
  assert.is(status, 2, `status ${status} after ${Date.now() - started} ms: ${stderr}`);
  assert.is(stdout, '');
  assert.match(stderr, /^error: --out \/proc\/focalgrad-test cannot be written: [^\n]+ \(npm run train -- --help lists the flags\)\n$/);
  assert.not.ok(existsSync('/proc/focalgrad-test'));
});

test('spawned: SIGINT mid-run exits 130 and removes the directories the run made', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-sigint-'));
  try {
    const args = ['--loss', 'ce', '--n', '20000', '--hidden', '4', '--epochs', '10000', '--out', join(dir, 'a', 'b')];
    const { code, stderr } = await interrupted(args, 'epoch 1/', 'SIGINT');
    assert.is(code, 130, stderr);
    assert.equal(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spawned: SIGTERM mid-comparison exits 143, leaves an --out that existed before, empty', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'focalgrad-sigterm-'));
  try {
    // Off a TTY the comparison reports runs, not epochs: the signal comes after the first of its 30 runs.
    const args = ['--seeds', '10', '--n', '20000', '--hidden', '4', '--epochs', '3', '--out', dir];
    const { code, stderr } = await interrupted(args, 'run 1/', 'SIGTERM');
    assert.is(code, 143, stderr);
    assert.ok(existsSync(dir));
    assert.equal(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.after(() => rmSync(childEnv.NODE_V8_COVERAGE, { recursive: true, force: true }));

test.run();
