// npm run playground [-- --port N] [-- --build-only]: bundles web/ into build/web/ with esbuild and serves it on 127.0.0.1.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// NOTE: build/, not dist/: the package's files are dist/, and the playground is not part of the package.
export const DEFAULT_OUTDIR = join(ROOT, 'build', 'web');
const DEFAULT_PORT = 8000;
// Copied as they are, next to the bundles.
const STATIC_FILES = ['index.html', 'style.css'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

// The page (main.js) and the training worker (worker.js), each one self-contained script.
export async function buildPlayground(outdir = DEFAULT_OUTDIR): Promise<Metafile> {
  mkdirSync(outdir, { recursive: true });
  const { metafile } = await build({
    // Paths in the metafile are then relative to the repository root, whatever the working directory.
    absWorkingDir: ROOT,
    entryPoints: ['web/main.ts', 'web/worker.ts'],
    outdir,
    bundle: true,
    // NOTE: classic scripts, not modules: `new Worker('worker.js')` then works in every browser.
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  for (const file of STATIC_FILES) copyFileSync(join(ROOT, 'web', file), join(outdir, file));
  return metafile;
}

// A static file server for `dir`, on 127.0.0.1 only; port 0 picks a free one. Resolves once listening.
export function servePlayground(dir = DEFAULT_OUTDIR, port = 0): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((request, response) => {
    const send = (code: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void => {
      response.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'method not allowed\n');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    const file = resolve(root, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
    // Nothing outside the served folder, however the path is spelled.
    if (!file.startsWith(root + sep) || !isFile(file)) return send(404, 'not found\n');
    send(200, readFileSync(file), CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  });
  return new Promise((resolveListening, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolveListening({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const USAGE = 'usage: npm run playground -- [--port N] [--build-only]';

/** A bad command line: exits 2 with the usage; any other failure exits 1. */
class UsageError extends Error {}

async function main(args: string[]): Promise<void> {
  let port = DEFAULT_PORT;
  let buildOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--build-only') buildOnly = true;
    else if (arg === '--port') {
      const text = args[++i];
      if (text === undefined) throw new UsageError('--port needs a value');
      if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${text}`);
      port = Number(text);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return;
    } else throw new UsageError(`unknown argument ${arg}`);
  }
  await buildPlayground();
  console.log(`built ${DEFAULT_OUTDIR}`);
  if (buildOnly) return;
  const { url } = await servePlayground(DEFAULT_OUTDIR, port).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: try --port 0 for a free one`) : error;
  });
  console.log(`playground at ${url}  (Ctrl-C to stop)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: Error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    console.error(`error: ${error.message}`);
    process.exit(1);
  });
}
