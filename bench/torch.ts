// The PyTorch peer: a Python process (torch_peer.py) that runs each job on one CPU thread (or on all
// cores, for the all-cores rows), in float32 and in float64, and times itself; the bench talks to it one
// JSON line at a time.

import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT } from '../scripts/paths.js';

export type TorchDtype = 'float32' | 'float64';

/** What torch_peer.py builds: the job's kind and its inputs (Float64Arrays travel as base64). */
export type TorchJob = { kind: 'mlp' | 'matmul' | 'tiny' | 'focal' } & Record<string, unknown>;

export const TORCH_HINT =
  'PyTorch not run: no python3 that can `import torch` (Debian: apt-get install -y python3-torch; or set FOCALGRAD_PYTHON)';

/** The first Python that imports torch: $FOCALGRAD_PYTHON, python3 on PATH, then Debian's /usr/bin/python3. */
export function findTorchPython(): { python: string; version: string } | null {
  const candidates = [process.env.FOCALGRAD_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return null;
}

export function b64(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function fromB64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

interface Reply {
  ok: boolean;
  error?: string;
  ms?: number;
  values?: string;
  torch?: string;
  threads?: number;
}

/**
 * The peer's environment: its thread count given to every pool PyTorch may use.
 * NOTE: torch.set_num_threads(1) alone does not reach OpenBLAS, which then multiplies large matrices on
 * every core (PyTorch f32 matmul 256 at 155 GFLOP/s on this 2-core machine, against 80–85 on one
 * thread). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, set on some machines for older OpenBLAS builds,
 * slow a current one down: the peer runs without them (only the peer: nothing else changes).
 */
export function peerEnvironment(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  for (const name of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'FOCALGRAD_TORCH_THREADS']) env[name] = String(threads);
  return env;
}

/** One torch_peer.py process, holding one job in both dtypes. */
export class TorchPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly replies: ((line: string) => void)[] = [];
  private stderr = '';

  private constructor(python: string, threads: number) {
    this.child = spawn(python, [join(ROOT, 'bench', 'torch_peer.py')], { stdio: ['pipe', 'pipe', 'pipe'], env: peerEnvironment(threads) });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.replies.shift()?.(line));
    this.child.on('exit', (code) => {
      for (const reply of this.replies.splice(0)) reply(JSON.stringify({ ok: false, error: `torch_peer.py exited (${code}): ${this.stderr.trim().slice(-800)}` }));
    });
  }

  static async start(python: string, job: TorchJob, threads = 1): Promise<TorchPeer> {
    const peer = new TorchPeer(python, threads);
    const reply = await peer.request({ cmd: 'setup', workload: job });
    if (reply.threads !== threads) throw new Error(`bench: PyTorch runs on ${reply.threads} threads, expected ${threads}`);
    return peer;
  }

  private request(message: Record<string, unknown>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.replies.push((line) => {
        const reply = JSON.parse(line) as Reply;
        if (reply.ok) resolve(reply);
        else reject(new Error(`bench: PyTorch (${String(message.cmd)}): ${reply.error}`));
      });
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  /** The values this job answers (losses, a gradient, a product), from a fresh setup. */
  async answer(dtype: TorchDtype): Promise<Float64Array> {
    const reply = await this.request({ cmd: 'answer', dtype });
    return fromB64(reply.values ?? '');
  }

  /** Runs the job `calls` times in Python; the elapsed ms as Python's clock measured it. */
  async time(dtype: TorchDtype, calls: number): Promise<number> {
    const reply = await this.request({ cmd: 'time', dtype, calls });
    return reply.ms ?? NaN;
  }

  stop(): void {
    this.child.stdin.end();
  }
}
