// Where the commands put their files: one atomic writer for every file, and the run directory of
// `npm run train` prepared (every refusal before any work), committed whole, and cleaned up when stopped.
// The policy: a run replaces only what a focalgrad run made (a directory holding the MARKER file) and
// removes only the files it lists; no output is, holds or replaces an input file.
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  realpathSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { OutputFile } from '../train/index.js';
import { VERSION } from './paths.js';

/** The file that marks a directory as a focalgrad run's: JSON with the version and the names of the files the run wrote. */
export const MARKER = '.focalgrad-run';

// ---- one file, whole or not at all ----

// A temporary file or directory is `.NAME.focalgrad-tmp-PID` beside its target; an old run directory
// being replaced is moved to `.NAME.focalgrad-old-PID`. The names say whose they are, so that the next
// run can tell the leftovers of a killed run from those of a live one.
const LEFTOVER = /^\.(.+)\.focalgrad-(tmp|old)-(\d+)$/;

function sideName(path: string, kind: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path)}.focalgrad-${kind}-${process.pid}`);
}

// Writes and flushes to disk: after a rename, the new name holds all of the content even after a crash.
function writeSynced(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Flushes a directory's entries (a rename into it) to disk.
function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // NOTE: some systems (Windows) cannot fsync a directory; the rename is then as durable as they make it.
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `content` to `path` atomically: a temporary file in the same directory, flushed to disk, renamed
 * over `path`, the directory flushed. A reader sees the old file or the new one, never half of one.
 */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  const temp = sideName(path, 'tmp');
  try {
    writeSynced(temp, content);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDir(dirname(path));
}

// ---- run directories: the marker, and removal of a run's own files only ----

function readMarker(dir: string): string[] | null {
  let files: unknown;
  try {
    ({ files } = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { files?: unknown });
  } catch {
    return null;
  }
  // Plain names only: a marker that names a path elsewhere is not one a run wrote.
  const plain = (name: unknown): boolean => typeof name === 'string' && name === basename(name) && name !== '..' && name !== '.' && name !== '';
  return Array.isArray(files) && files.every(plain) ? (files as string[]) : null;
}

// What a directory holds that its run did not write (everything, for a directory without a marker).
function foreignNames(dir: string): string[] {
  const own = new Set([MARKER, ...(readMarker(dir) ?? [])]);
  return readdirSync(dir).filter((name) => !own.has(name));
}

// Removes the files a run's marker lists, the marker, and the directory if nothing else is left in it;
// returns what was left. Never removes a file the run did not write.
function removeRunDir(dir: string): string[] {
  for (const name of readMarker(dir) ?? []) {
    try {
      unlinkSync(join(dir, name));
    } catch {
      // NOTE: already gone, or replaced by a directory since: left as it is.
    }
  }
  rmSync(join(dir, MARKER), { force: true });
  const left = readdirSync(dir);
  if (left.length === 0) rmdirSync(dir);
  return left;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Removes what a killed run left beside `path`: its temporary file, or its run directory by the marker;
// an old output whose replacement never arrived is put back.
function removeLeftovers(path: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const match = LEFTOVER.exec(name);
    if (match === null || match[1] !== basename(path) || Number(match[3]) === process.pid || isAlive(Number(match[3]))) continue;
    const leftover = join(dirname(path), name);
    if (match[2] === 'old' && statSync(path, { throwIfNoEntry: false }) === undefined) {
      renameSync(leftover, path);
      process.stderr.write(`restored ${path} from ${name}, left by a run that was stopped while replacing it\n`);
      continue;
    }
    const left = statSync(leftover).isDirectory() ? removeRunDir(leftover) : (unlinkSync(leftover), []);
    process.stderr.write(
      left.length === 0
        ? `removed ${name}, left by a run that was stopped (pid ${match[3]})\n`
        : `kept ${leftover}, left by a run that was stopped (pid ${match[3]}): it holds files no run wrote (${left.join(', ')})\n`,
    );
  }
}

// Whether `path` is `dir` or lies inside it (a path-separator boundary: D/run-model.json is not inside D/run).
function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

// The path with its existing part's symbolic links resolved, so that two names of one file compare equal.
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

// ---- the run directory of one command ----

/** What a run writes: --out (as written), whether it may replace a run's directory, --save, and the files it reads. */
export interface OutputRequest {
  out: string;
  overwrite: boolean;
  save: string | null;
  /** Files the run reads, by flag (`--data`): no output may be one, hold one or replace one. */
  inputs: { flag: string; path: string }[];
}

/**
 * The output of one run, checked and prepared by RunOutput.prepare before any work, put in place by
 * commit (all its files in one rename, then the --save file), removed again by cleanUp if the run fails
 * or is stopped first.
 */
export class RunOutput {
  /** --out, resolved. */
  readonly dir: string;
  private readonly savePath: string | null;
  private readonly tempDir: string;
  // What this run has made so far: parent directories (deepest first) and temporary files and directories.
  private readonly created: string[] = [];
  private readonly temps: string[] = [];

  private constructor(private readonly request: OutputRequest) {
    this.dir = resolve(request.out);
    this.savePath = request.save === null ? null : resolve(request.save);
    this.tempDir = sideName(this.dir, 'tmp');
  }

  /** Checks everything that can be refused and makes the temporary directory; throws an Error naming the flag and the path as written, having made nothing. */
  static prepare(request: OutputRequest): RunOutput {
    const output = new RunOutput(request);
    try {
      output.check();
    } catch (error) {
      output.cleanUp();
      throw error;
    }
    return output;
  }

  private check(): void {
    const { out, save, overwrite, inputs } = this.request;
    const realOut = realPath(this.dir);
    for (const input of inputs) {
      const data = realPath(input.path);
      if (isWithin(data, realOut)) {
        throw new Error(`--out ${out} ${data === realOut ? 'is' : 'holds'} the ${input.flag} file ${input.path}; outputs never touch inputs: choose another directory`);
      }
      if (this.savePath !== null && realPath(this.savePath) === data) {
        throw new Error(`--save ${save} is the ${input.flag} file; outputs never touch inputs: save the model elsewhere`);
      }
    }
    this.prepareParent(this.dir, '--out', out);
    removeLeftovers(this.dir);
    const stat = statSync(this.dir, { throwIfNoEntry: false });
    if (stat !== undefined && !stat.isDirectory()) throw new Error(`--out ${out} cannot be written: it exists and is not a directory`);
    if (stat !== undefined && readdirSync(this.dir).length > 0) {
      if (!overwrite) throw new Error(`--out ${out} is not empty; pass --overwrite to replace a run's directory, or choose a new directory`);
      if (readMarker(this.dir) === null) {
        throw new Error(`--out ${out} was not made by a focalgrad run (it has no ${MARKER} file); --overwrite replaces only a run's directory: choose a new directory`);
      }
      const foreign = foreignNames(this.dir);
      if (foreign.length > 0) {
        throw new Error(`--out ${out} holds files its run did not write (${foreign.join(', ')}); --overwrite removes only a run's own files: move them away or choose a new directory`);
      }
    }
    if (save !== null && this.savePath !== null) {
      if (isWithin(this.savePath, this.dir)) throw new Error(`--save ${save} is inside --out ${out}, which is written as a whole; save the model elsewhere`);
      this.prepareParent(this.savePath, '--save', save);
      removeLeftovers(this.savePath);
      if (statSync(this.savePath, { throwIfNoEntry: false })?.isDirectory() === true) {
        throw new Error(`--save ${save} is a directory (expected a file name such as model.json)`);
      }
    }
    this.temps.push(this.tempDir);
    mkdirSync(this.tempDir);
  }

  // mkdir -p of path's parent, one level at a time below the deepest directory that exists, then a probe
  // file written and removed: afterwards we know that files can be made there.
  // NOTE: not mkdirSync(dir, { recursive: true }), which never returns for a path under /proc (a Node bug).
  private prepareParent(path: string, flag: string, shown: string): void {
    const dir = dirname(path);
    try {
      const missing: string[] = [];
      let existing = dir;
      let stat = statSync(existing, { throwIfNoEntry: false });
      while (stat === undefined) {
        missing.push(existing);
        existing = dirname(existing);
        stat = statSync(existing, { throwIfNoEntry: false });
      }
      if (!stat.isDirectory()) throw new Error(`${existing} is not a directory`);
      accessSync(existing, constants.W_OK);
      for (const level of missing.reverse()) {
        mkdirSync(level);
        this.created.unshift(level);
      }
      const probe = join(dir, `.probe-${process.pid}`);
      writeFileSync(probe, '');
      unlinkSync(probe);
    } catch (error) {
      throw new Error(`${flag} ${shown} cannot be written: ${(error as Error).message}`);
    }
  }

  /**
   * Writes the files and the marker into the temporary directory and renames it into place, then the
   * model to --save. Returns where the files went: --out, or beside it (`OUT.PID`) when another run
   * filled --out meanwhile and it may not be replaced.
   */
  commit(files: readonly OutputFile[], saved: string | Uint8Array | null): string {
    writeSynced(join(this.tempDir, MARKER), `${JSON.stringify({ focalgrad: VERSION, files: files.map((f) => f.name) })}\n`);
    for (const file of files) writeSynced(join(this.tempDir, file.name), file.content);
    syncDir(this.tempDir);
    const saveTemp = this.savePath === null ? null : sideName(this.savePath, 'tmp');
    if (saveTemp !== null && saved !== null) {
      this.temps.push(saveTemp);
      writeSynced(saveTemp, saved);
    }
    // The directory first (one rename: all the files or none), then the model beside it.
    const wroteTo = this.placeDir();
    syncDir(dirname(this.dir));
    if (this.savePath !== null && saveTemp !== null && saved !== null) {
      renameSync(saveTemp, this.savePath);
      syncDir(dirname(this.savePath));
    }
    this.temps.length = 0;
    this.created.length = 0;
    return wroteTo;
  }

  // One rename onto nothing or onto an empty directory; with --overwrite, a run's directory that is in the
  // way is moved aside, replaced, and its own files removed after.
  private placeDir(): string {
    try {
      renameSync(this.tempDir, this.dir);
      return this.dir;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
    // The checks of prepare again: another run may have filled --out meanwhile.
    if (!this.request.overwrite || readMarker(this.dir) === null || foreignNames(this.dir).length > 0) {
      const beside = `${this.dir}.${process.pid}`;
      renameSync(this.tempDir, beside);
      return beside;
    }
    const old = sideName(this.dir, 'old');
    renameSync(this.dir, old);
    renameSync(this.tempDir, this.dir);
    const left = removeRunDir(old);
    if (left.length > 0) process.stderr.write(`kept ${old}: files no run wrote appeared in it meanwhile (${left.join(', ')})\n`);
    return this.dir;
  }

  /** Removes the temporary files and directory, then the directories this run made, deepest first, if empty. */
  cleanUp(): void {
    for (const temp of this.temps) rmSync(temp, { recursive: true, force: true });
    this.temps.length = 0;
    for (const dir of this.created) {
      try {
        if (readdirSync(dir).length === 0) rmdirSync(dir);
      } catch {
        // NOTE: a directory already gone, or one we cannot read, is left as it is.
      }
    }
    this.created.length = 0;
  }
}

// Exit status 128 + the signal's number, as a shell reports a process the signal ended.
const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Until the returned function is called, Ctrl-C (SIGINT), SIGTERM and a closed terminal (SIGHUP) run
 * `before`, remove what the run has made, say so and exit 128 + the signal's number.
 */
export function cleanUpOnSignals(output: RunOutput, before: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    before();
    output.cleanUp();
    process.stderr.write(`stopped by ${signal}; no files written\n`);
    process.exit(SIGNAL_EXIT[signal as keyof typeof SIGNAL_EXIT]);
  };
  const signals = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
