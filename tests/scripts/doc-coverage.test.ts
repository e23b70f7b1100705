// Every public name of the package has a doc comment in the .d.ts files it ships (TypeScript's compiler
// API over the declarations emitted with tsconfig.build.json), and the @internal fields are not there.
import { resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDocs, emitDeclarations, ENTRIES } from '../../scripts/doc-coverage.js';
import { ROOT } from '../../scripts/paths.js';

test('negative control: an export, or a public class member, without a doc comment is reported', () => {
  const file = resolve('/virtual/dist/index.d.ts');
  const text = `/** documented */
export declare function a(): void;
export declare function b(): void;
/** a class */
export declare class C {
  /** documented */
  m(): void;
  n(): number;
  private hidden;
}
export type { D } from './d.js';
`;
  const d = resolve('/virtual/dist/d.d.ts');
  const report = checkDocs(
    new Map([
      [file, text],
      [d, '// a line comment is not a doc comment\nexport interface D { x: number }\n'],
    ]),
    [file],
  );
  assert.equal(report.missing, ['index.d.ts: b', 'index.d.ts: C.n', 'index.d.ts: D']);
  assert.equal(report.names, ['index.d.ts: a', 'index.d.ts: b', 'index.d.ts: C', 'index.d.ts: C.m', 'index.d.ts: C.n', 'index.d.ts: D']);
});

const files = emitDeclarations(ROOT);
const report = checkDocs(
  files,
  ENTRIES.map((entry) => resolve(ROOT, 'dist', entry.replace(/\.ts$/, '.d.ts'))),
);

test('every exported name of focalgrad and focalgrad/train, and every public member of their classes, has a doc comment', () => {
  assert.ok(report.names.length > 150, `only ${report.names.length} public names found`);
  for (const name of ['index.d.ts: focalLoss', 'index.d.ts: Tensor.backward', 'index.d.ts: Tensor.matmul', 'index.d.ts: MLP.toSafetensors', 'train/index.d.ts: train']) {
    assert.ok(report.names.includes(name), `${name} was not checked`);
  }
  assert.equal(report.missing, [], `${report.missing.length} of ${report.names.length} public names lack a doc comment`);
});

test('@internal fields (Tensor.pendingGrad, Tensor.visitMark) are stripped from the .d.ts', () => {
  const tensorDts = [...files.entries()].find(([path]) => path.endsWith(`engine${'/'}tensor.d.ts`));
  assert.ok(tensorDts !== undefined, 'no engine/tensor.d.ts emitted');
  assert.match(tensorDts[1], 'backward(');
  assert.not.match(tensorDts[1], 'pendingGrad');
  assert.not.match(tensorDts[1], 'visitMark');
  assert.not.ok(report.names.some((name) => name.endsWith('.pendingGrad') || name.endsWith('.visitMark')));
});

test.run();
