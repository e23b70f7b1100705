// Issue 18, the engine's sizes and nesting: a rank cap of 64 axes with an Error naming the op, every reduction through the size
// cap, concat/stack over tens of thousands of parts, and names in toDot that cannot break out of their label.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_RANK, stack, concat, tensor, toDot, zeros } from '../../engine/index.js';

function throwsWith(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: Error) => error.constructor === Error && message.test(error.message), String(message));
}

test('a rank cap of 64 axes (NumPy 2): past it an Error naming the op; at it toArray and toString work', () => {
  assert.is(MAX_RANK, 64);
  throwsWith(() => zeros(new Array(20_000).fill(1)), /^zeros: a tensor of 20000 axes is past the limit of 64/);
  const deep = zeros(new Array(64).fill(1));
  throwsWith(() => deep.unsqueeze(0), /^unsqueeze: a tensor of 65 axes/);
  throwsWith(() => stack([deep, deep]), /^stack: a tensor of 65 axes/);
  throwsWith(() => deep.reshape(new Array(65).fill(1)), /^reshape: a tensor of 65 axes/);
  throwsWith(() => deep.expand(new Array(65).fill(1)), /^expand: a tensor of 65 axes/);
  // Nested 10,000 deep: refused at depth 65, not a stack overflow.
  let nested: unknown = 1;
  for (let i = 0; i < 10_000; i++) nested = [nested];
  throwsWith(() => tensor(nested as number[]), /^tensor: a tensor of 65 axes/);
  // At the cap itself everything still works.
  let array: unknown = 7;
  for (let i = 0; i < 64; i++) array = [array];
  assert.equal(deep.add(7).toArray(), array);
  assert.ok(deep.toString().startsWith(`Tensor(${'['.repeat(64)}0${']'.repeat(64)}, shape=[`));
  assert.is(tensor(array as number[]).ndim, 64);
});

test('reductions of huge empty-axis shapes go through the size cap: an Error, not a RangeError or 8 GiB', () => {
  throwsWith(() => zeros([0, 2 ** 60]).sum(0), /^sum: result of \d+ elements is too large/);
  throwsWith(() => zeros([2 ** 30, 0]).sum(1), /^sum: result of 1073741824 elements is too large/);
  throwsWith(() => zeros([2 ** 30, 0]).logsumexp(1), /too large/);
  // max over an empty axis has no value at all, as in PyTorch.
  throwsWith(() => zeros([2 ** 30, 0]).max(1), /^max: cannot reduce an empty axis 1/);
  // A small one reduces to zeros, as in PyTorch.
  assert.equal(zeros([3, 0]).sum(1).toArray(), [0, 0, 0]);
});

test('stack and concat of 40,000 parts: every part in its place, and each gradient from its own rows', () => {
  const parts = Array.from({ length: 40_000 }, (_, p) => tensor([[p, -p]], { requiresGrad: p % 10_000 === 3 }));
  const stacked = stack(parts);
  assert.equal(stacked.shape, [40_000, 1, 2]);
  assert.equal([stacked.data[2 * 39_999], stacked.data[2 * 39_999 + 1]], [39_999, -39_999]);
  const joined = concat(parts, 0);
  assert.equal(joined.shape, [40_000, 2]);
  // Weights by row: the gradient of part p is row p of the weights (its start is the sum of the sizes before it).
  joined.mul(tensor(Array.from({ length: 40_000 }, (_, r) => [r, 2 * r]))).sum().backward();
  assert.equal(parts[30_003].grad?.toArray(), [[30_003, 60_006]]);
  assert.equal(parts[3].grad?.toArray(), [[3, 6]]);
});

test('toDot: a name with quotes, backslashes, a line break or an escape stays inside its label', () => {
  const x = tensor([1, 2], { requiresGrad: true, name: 'x" ]; evil [label="\\' });
  const dot = toDot(x.mul(2).sum().named('a\x1b[2Jb\nc'));
  assert.ok(dot.includes('label="x\\" ]; evil [label=\\"\\\\\\nleaf [2]\\nrequiresGrad"'), dot);
  assert.ok(dot.includes('label="a\\\\x1b[2Jb\\\\x0ac\\nsum []'), dot);
  assert.not.ok(/[\x00-\x09\x0b-\x1f]/.test(dot), 'no raw control character');
  // Every label is one well-formed quoted string: quotes balance once the escaped ones are removed.
  for (const line of dot.split('\n')) assert.is((line.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? []).length % 2, 0, line);
});

test('an index array of length 2³² − 1 (sparse, nothing in it) is refused by its length, not read or allocated', () => {
  const huge = new Array(2 ** 32 - 1);
  const x = zeros([1, 0, 3]);
  assert.throws(() => x.indexSelect(1, huge), /indexSelect: result of 4294967295 elements is too large/);
  assert.throws(() => x.gather(1, huge), /gather: result of 4294967295 elements is too large/);
});

test.run();
