// Tests for scripts/playground.ts: the bundle is built, browser-only (no Node imports), and the server sends it and nothing else.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildPlayground, servePlayground } from '../../scripts/playground.js';

const OUTPUTS = ['index.html', 'style.css', 'main.js', 'worker.js'];
// Node built-ins a browser bundle must never reach for, with or without the node: prefix.
const NODE_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](?:node:[\w/]+|fs|fs\/promises|path|os|child_process|http|url|worker_threads)["']/;

// One build for the whole file, into a fresh folder so that dist/ is left to whoever else is using it.
const outdir = mkdtempSync(join(tmpdir(), 'focalgrad-web-'));
let metafile: Metafile;
test.before(async () => {
  metafile = await buildPlayground(outdir);
});
// NOTE: the child's V8 coverage goes to a throwaway folder: c8 would merge its differently
// transpiled copy of the same files with this process's, and the merged line counts come out wrong.
// (Node hands NODE_V8_COVERAGE to every child unless the child's env sets it explicitly.)
const childEnv = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };
test.after(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(childEnv.NODE_V8_COVERAGE, { recursive: true, force: true });
});

// A raw GET (or other method): unlike fetch, node:http sends the path exactly as written, `..` included.
function get(url: string, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('build: the page, its stylesheet, main.js and worker.js exist and are not empty', () => {
  for (const file of OUTPUTS) {
    const path = join(outdir, file);
    assert.ok(existsSync(path), `${file} was not written to ${outdir}`);
    assert.ok(readFileSync(path, 'utf8').length > 0, `${file} is empty`);
  }
  const html = readFileSync(join(outdir, 'index.html'), 'utf8');
  assert.match(html, /<script src="main.js"/, 'index.html does not load main.js');
  assert.match(html, /<link rel="stylesheet" href="style.css">/, 'index.html does not load style.css');
  assert.match(readFileSync(join(outdir, 'main.js'), 'utf8'), /new Worker\("worker.js"\)/, 'main.js does not start worker.js');
});

test('build: no node: or fs imports, nothing from scripts/, and from node_modules/ only papaparse (the trainer\'s CSV parser)', () => {
  for (const file of ['main.js', 'worker.js']) {
    const text = readFileSync(join(outdir, file), 'utf8');
    const found = text.match(NODE_IMPORT);
    assert.is(found, null, `${file} imports a Node module: ${found?.[0]}`);
  }
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    const external = meta.imports.filter((i) => i.external).map((i) => i.path);
    assert.equal(external, [], `${output} leaves imports to the runtime: ${external.join(', ')}`);
  }
  const foreign = Object.keys(metafile.inputs).filter((input) => !/^(web|train|engine|losses|models|node_modules\/papaparse)\//.test(input));
  assert.equal(foreign, [], `the bundle pulls in files outside the library and web/: ${foreign.join(', ')}`);
});

test('server: sends the built files with their content types on 127.0.0.1', async () => {
  const { server, url } = await servePlayground(outdir, 0);
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(url, '/');
    assert.is(page.status, 200);
    assert.is(page.type, 'text/html; charset=utf-8');
    assert.match(page.body, /<title>focalgrad playground<\/title>/);
    const worker = await get(url, '/worker.js');
    assert.is(worker.status, 200);
    assert.is(worker.type, 'text/javascript; charset=utf-8');
    assert.is((await get(url, '/style.css')).type, 'text/css; charset=utf-8');
  } finally {
    server.close();
  }
});

test('server: 404 outside the folder or for a missing file, 405 for anything but GET and HEAD', async () => {
  const { server, url } = await servePlayground(outdir, 0);
  try {
    for (const path of ['/missing.js', '/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/%00']) {
      assert.is((await get(url, path)).status, 404, `GET ${path}`);
    }
    assert.is((await get(url, '/', 'POST')).status, 405, 'POST /');
    const head = await get(url, '/', 'HEAD');
    assert.is(head.status, 200, 'HEAD /');
    assert.is(head.body, '', 'HEAD / sent a body');
  } finally {
    server.close();
  }
});

test('spawned: a bad argument exits 2 with a one-line error and the usage on stderr, before building anything', () => {
  const cases: [string[], string][] = [
    [['--bogus'], 'unknown argument --bogus'],
    [['--port', 'abc'], '--port must be an integer from 0 to 65535, got abc'],
    [['--port', '65536'], '--port must be an integer from 0 to 65535, got 65536'],
    [['--port'], '--port needs a value'],
  ];
  for (const [args, message] of cases) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/playground.ts', ...args], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      encoding: 'utf8',
      env: childEnv,
    });
    assert.is(child.status, 2, `${args.join(' ')}: ${child.stderr}`);
    assert.is(child.stdout, '', `${args.join(' ')}: nothing built`);
    assert.is(child.stderr, `error: ${message}\n\nusage: npm run playground -- [--port N] [--build-only]\n`);
  }
});

test.run();
