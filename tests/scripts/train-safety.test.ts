// `npm run train` as people actually run it (issue 11): side by side, killed, piped into head, started
// through npm. Each case spawns the real command and checks what is left on disk and in the process table.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TINY = ['--loss', 'ce', '--epochs', '1', '--n', '300', '--hidden', '4'];
// A run still going when a test signals it: without --patience none, early stopping ended it in about 40
// epochs, sometimes before the test's other process had started (the test then saw exit 0, not 130).
const LONG = ['--loss', 'ce', '--n', '20000', '--hidden', '4', '--epochs', '10000', '--patience', 'none'];
// What a single run leaves: its files and the marker that names them (sorted as readdirSync sorts).
const RUN_FILES = ['.focalgrad-run', 'confusion.svg', 'loss.svg', 'metrics.json', 'recall.svg', 'regions.svg', 'reliability.svg', 'report.html'];

// NOTE: the children's V8 coverage goes to a throwaway folder (see train-cli.test.ts).
const childEnv = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: childEnv,
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// A spawned command and a promise of how it ended (SIGKILL after 60 s, so that a hang fails the test).
interface Started {
  child: ChildProcess;
  /** how it ended, once its output streams have closed */
  ended: Promise<Ended>;
  /** its exit, without waiting for its streams (which an orphan would keep open) */
  exited: Promise<number | null>;
  stderrSeen: (text: string) => Promise<void>;
}

function start(command: string, args: string[]): Started {
  const child = spawn(command, args, { cwd: ROOT, env: childEnv });
  let stdout = '';
  let stderr = '';
  let closed = false;
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const pending = waiters.splice(0);
    for (const w of pending) if (stderr.includes(w.text)) w.resolve(); else waiters.push(w);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const ended = new Promise<Ended>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      closed = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`ended (code ${code}) before printing "${w.text}": ${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stderrSeen = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (stderr.includes(text)) resolve();
      else if (closed) reject(new Error(`ended before printing "${text}": ${stderr}`));
      else waiters.push({ text, resolve, reject });
    });
  return { child, ended, exited, stderrSeen };
}

const train = (args: string[]) => start(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args]);

function withDir(prefix: string, body: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

// A pid that no process has: the pid of a child that has exited.
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

// The pids of processes whose command line mentions `marker`.
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

test(
  '--out into a non-empty directory exits 2 and touches nothing; --overwrite refuses a directory no run made',
  withDir('focalgrad-out-', (parent) => {
    const dir = join(parent, 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'compare.json'), 'not a run\'s');
    const refused = run([...TINY, '--out', dir]);
    assert.is(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /^error: --out .* is not empty; pass --overwrite to replace a run's directory/);
    assert.not.match(refused.stderr, /epoch 1/, 'refused before training');

    const unmarked = run([...TINY, '--out', dir, '--overwrite']);
    assert.is(unmarked.status, 2, unmarked.stderr);
    assert.match(unmarked.stderr, /^error: --out .*out was not made by a focalgrad run \(it has no \.focalgrad-run file\)/);
    assert.equal(readdirSync(dir), ['compare.json']);
    assert.is(readFileSync(join(dir, 'compare.json'), 'utf8'), "not a run's");
    assert.equal(readdirSync(parent), ['out'], 'no temporary directory left');
  }),
);

test(
  "--overwrite replaces a run's directory and removes the files that run wrote, and only those",
  withDir('focalgrad-replace-', (parent) => {
    const dir = join(parent, 'out');
    const compared = run(['--compare', '--seeds', '1', ...TINY.slice(2), '--out', dir]);
    assert.is(compared.status, 0, compared.stderr);
    assert.ok(readdirSync(dir).includes('compare.json'));

    // A file the run did not write: --overwrite refuses, names it, and removes nothing.
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const foreign = run([...TINY, '--out', dir, '--overwrite']);
    assert.is(foreign.status, 2, foreign.stderr);
    assert.match(foreign.stderr, /^error: --out .*out holds files its run did not write \(notes\.txt\)/);
    assert.ok(readdirSync(dir).includes('compare.json'));

    unlinkSync(join(dir, 'notes.txt'));
    const replaced = run([...TINY, '--out', dir, '--overwrite']);
    assert.is(replaced.status, 0, replaced.stderr);
    // the comparison's compare.json is gone with the rest of its files: the directory is this run's alone
    assert.equal(readdirSync(dir).sort(), RUN_FILES);
    assert.equal(readdirSync(parent), ['out'], 'no temporary or old directory left');
  }),
);

test(
  "a killed run's temporary directory is removed by the next run (its own files only); an old output it had moved aside is put back",
  withDir('focalgrad-stale-', (dir) => {
    const out = join(dir, 'out');
    const pid = deadPid();
    // As a killed run leaves it: the marker first, then some of the files it names.
    const staleTemp = join(dir, `.out.focalgrad-tmp-${pid}`);
    mkdirSync(staleTemp);
    writeFileSync(join(staleTemp, '.focalgrad-run'), JSON.stringify({ focalgrad: '0.1.0', files: ['metrics.json', 'report.html'] }));
    writeFileSync(join(staleTemp, 'metrics.json'), 'half');
    // A killed run's temporary --save file.
    writeFileSync(join(dir, `.model.json.focalgrad-tmp-${pid}`), '{"half');
    const first = run([...TINY, '--out', out, '--save', join(dir, 'model.json')]);
    assert.is(first.status, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`removed \\.out\\.focalgrad-tmp-${pid}, left by a run that was stopped`));
    assert.match(first.stderr, new RegExp(`removed \\.model\\.json\\.focalgrad-tmp-${pid}, left by a run that was stopped`));
    assert.equal(readdirSync(dir).sort(), ['model.json', 'out']);

    // A leftover holding a file its marker does not name is kept, and said so.
    const odd = join(dir, `.out.focalgrad-tmp-${pid}`);
    mkdirSync(odd);
    writeFileSync(join(odd, 'mine.txt'), 'mine');
    const kept = run([...TINY, '--out', join(dir, 'out'), '--overwrite']);
    assert.is(kept.status, 0, kept.stderr);
    assert.match(kept.stderr, /kept .*\.out\.focalgrad-tmp-\d+, left by a run that was stopped .*: it holds files no run wrote \(mine\.txt\)/);
    assert.equal(readdirSync(odd), ['mine.txt']);
    rmSync(odd, { recursive: true });

    // Killed between moving the old output aside and renaming the new one in: the old one comes back,
    // and since it is not empty, the next run without --overwrite is refused.
    rmSync(out, { recursive: true });
    const staleOld = join(dir, `.out.focalgrad-old-${pid}`);
    mkdirSync(staleOld);
    writeFileSync(join(staleOld, 'metrics.json'), 'previous');
    const second = run([...TINY, '--out', out]);
    assert.is(second.status, 2, second.stderr);
    assert.match(second.stderr, /restored .*out from \.out\.focalgrad-old-\d+/);
    assert.is(readFileSync(join(out, 'metrics.json'), 'utf8'), 'previous');
  }),
);

test(
  '--save is checked before training: a directory, or a file inside --out, exits 2 with nothing written; beside --out is fine',
  withDir('focalgrad-save-', (dir) => {
    const out = join(dir, 'out');
    mkdirSync(join(dir, 'model'));
    const isDir = run([...TINY, '--out', out, '--save', join(dir, 'model')]);
    assert.is(isDir.status, 2, isDir.stderr);
    assert.match(isDir.stderr, /^error: --save .*model is a directory/);
    const inside = run([...TINY, '--out', out, '--save', join(out, 'model.json')]);
    assert.is(inside.status, 2, inside.stderr);
    assert.match(inside.stderr, /^error: --save .* is inside --out .*, which is written as a whole/);
    for (const r of [isDir, inside]) assert.not.match(r.stderr, /epoch 1/);
    assert.equal(readdirSync(dir), ['model']);

    // A name that starts with --out's but is not inside it (no path separator between them).
    const beside = run([...TINY, '--out', join(dir, 'run'), '--save', join(dir, 'run-model.json')]);
    assert.is(beside.status, 0, beside.stderr);
    assert.equal(readdirSync(dir).sort(), ['model', 'run', 'run-model.json']);
  }),
);

test(
  'outputs never touch inputs: --save onto the --data file, or an --out that is or holds it, exits 2 with the data unchanged',
  withDir('focalgrad-inputs-', (dir) => {
    // Two classes on either side of x = 0, 40 rows.
    const rows = Array.from({ length: 40 }, (_, i) => `${(i % 2 === 0 ? 1 : -1) * (1 + i / 10)},${i / 40},${i % 2 === 0 ? 'a' : 'b'}`);
    const text = `x,y,kind\n${rows.join('\n')}\n`;
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const data = join(dataDir, 'points.csv');
    writeFileSync(data, text);
    const csv = ['--data', data, '--label', 'kind', '--loss', 'ce', '--epochs', '1', '--hidden', '4'];

    const save = run([...csv, '--out', join(dir, 'out'), '--save', data]);
    assert.is(save.status, 2, save.stderr);
    assert.match(save.stderr, /^error: --save .*points\.csv is the --data file; outputs never touch inputs/);
    const holds = run([...csv, '--out', dataDir, '--overwrite']);
    assert.is(holds.status, 2, holds.stderr);
    assert.match(holds.stderr, /^error: --out .*data holds the --data file .*points\.csv; outputs never touch inputs/);
    const is = run([...csv, '--out', data]);
    assert.is(is.status, 2, is.stderr);
    assert.match(is.stderr, /^error: --out .*points\.csv is the --data file/);
    assert.is(readFileSync(data, 'utf8'), text);
    assert.equal(readdirSync(dataDir), ['points.csv']);
    assert.equal(readdirSync(dir), ['data']);

    // The same data read from elsewhere trains and writes as usual (a negative control of the checks).
    const fine = run([...csv, '--out', join(dir, 'out')]);
    assert.is(fine.status, 0, fine.stderr);
  }),
);

test(
  'a closed stdout (npm run train | head -1) ends quietly; a closed stderr stops the run and removes its files',
  withDir('focalgrad-pipe-', async (dir) => {
    const out = join(dir, 'out');
    const piped = train([...TINY, '--out', out]);
    piped.child.stdout!.destroy();
    const ended = await piped.ended;
    assert.is(ended.code, 0, ended.stderr);
    assert.not.match(ended.stderr, /EPIPE|Error|at /);
    assert.equal(readdirSync(out).sort(), RUN_FILES);

    const out2 = join(dir, 'out2');
    const closed = train([...LONG, '--out', out2]);
    await closed.stderrSeen('epoch 1/');
    closed.child.stderr!.destroy();
    const stopped = await closed.ended;
    assert.is(stopped.code, 141, 'as if killed by SIGPIPE');
    assert.is(stopped.stdout, '');
    assert.equal(readdirSync(dir), ['out'], 'no out2, no temporary directory');
  }),
);

test(
  'two runs sharing --out: Ctrl-C of one leaves the other to finish and put its files in place',
  withDir('focalgrad-shared-', async (dir) => {
    const out = join(dir, 'out');
    const long = train([...LONG, '--out', out]);
    await long.stderrSeen('epoch 1/');
    const short = train([...TINY, '--out', out]);
    await short.stderrSeen('epoch 1/');
    long.child.kill('SIGINT');
    const [a, b] = await Promise.all([long.ended, short.ended]);
    assert.is(a.code, 130, a.stderr);
    assert.is(b.code, 0, b.stderr);
    assert.equal(readdirSync(out).sort(), RUN_FILES);
    assert.equal(readdirSync(dir), ['out']);
  }),
);

test(
  'SIGHUP (the terminal closed) stops a run as Ctrl-C does: exit 129, no files, not even the parent directory it made',
  withDir('focalgrad-hup-', async (dir) => {
    const hup = train([...LONG, '--out', join(dir, 'a', 'out')]);
    await hup.stderrSeen('epoch 1/');
    hup.child.kill('SIGHUP');
    const ended = await hup.ended;
    assert.is(ended.code, 129, ended.stderr);
    assert.match(ended.stderr, /stopped by SIGHUP; no files written/);
    assert.equal(readdirSync(dir), []);
  }),
);

test(
  'two runs finishing into one new --out: the second keeps its files beside it and says so (exit 1)',
  withDir('focalgrad-race-', async (dir) => {
    const out = join(dir, 'out');
    // The first run passes its checks (out is new), is paused while the second one fills out, then finishes.
    const first = train(['--loss', 'ce', '--epochs', '5', '--n', '20000', '--hidden', '4', '--out', out]);
    await first.stderrSeen('epoch 1/');
    first.child.kill('SIGSTOP');
    const second = run([...TINY, '--out', out]);
    first.child.kill('SIGCONT');
    assert.is(second.status, 0, second.stderr);
    const a = await first.ended;
    assert.is(a.code, 1, a.stderr);
    assert.match(a.stderr, /error: --out .*out was filled by another run meanwhile; this run's files are in .*out\.\d+/);
    const beside = readdirSync(dir).filter((name) => name !== 'out');
    assert.is(beside.length, 1);
    assert.match(beside[0], /^out\.\d+$/);
    assert.equal(readdirSync(join(dir, beside[0])).sort(), RUN_FILES);
    // out holds the second run's files, untouched by the first (a different n, so different metrics)
    assert.equal(readdirSync(out).sort(), RUN_FILES);
    const metrics = (d: string) => readFileSync(join(d, 'metrics.json'), 'utf8');
    assert.is.not(metrics(out), metrics(join(dir, beside[0])));
  }),
);

test('concurrent starts of the bundled command all run it (the bundle is renamed into place, never read half-written)', async () => {
  const cache = join(ROOT, 'node_modules/.cache/focalgrad');
  if (existsSync(cache)) for (const name of readdirSync(cache)) if (name.startsWith('train-')) unlinkSync(join(cache, name));
  const starts = Array.from({ length: 6 }, () => start(process.execPath, ['scripts/run.mjs', 'scripts/train.ts', '--help']).ended);
  for (const ended of await Promise.all(starts)) {
    assert.is(ended.code, 0, ended.stderr);
    assert.match(ended.stdout, /^usage: npm run train/);
  }
  assert.equal(readdirSync(cache).filter((name) => name.includes('.tmp-')), []);
});

test(
  'SIGTERM to the npm process reaches the training: it cleans up and leaves no orphan',
  withDir('focalgrad-npm-', async (dir) => {
    const out = join(dir, 'npm-sigterm-out');
    const npm = start('npm', ['run', 'train', '--', ...LONG, '--out', out]);
    await npm.stderrSeen('epoch 1/');
    npm.child.kill('SIGTERM');
    await npm.exited;
    // The training process is gone within a few seconds (it stops between epochs).
    const deadline = Date.now() + 10_000;
    while (processesWith(out).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const orphans = processesWith(out);
    for (const pid of orphans) process.kill(pid, 'SIGKILL');
    assert.equal(orphans, [], 'no process left running with this --out');
    assert.equal(readdirSync(dir), [], 'the stopped run removed its temporary directory');
    assert.match((await npm.ended).stderr, /stopped by SIGTERM; no files written/);
  }),
);

test.after(() => rmSync(childEnv.NODE_V8_COVERAGE, { recursive: true, force: true }));

test.run();
