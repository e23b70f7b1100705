// mlp.toSafetensors / MLP.fromSafetensors, held to a reader written here from the format's specification
// (huggingface/safetensors README: u64 LE header length, JSON header, data_offsets into the byte buffer).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rng, tensor } from '../../engine/index.js';
import { MLP } from '../../models/index.js';
import { sameBits, throwsWith } from './helpers.js';

// The reader: independent of models/safetensors.ts, as little as the specification needs.
interface SpecTensor {
  dtype: string;
  shape: number[];
  values: number[];
  begin: number;
  end: number;
}
function specRead(bytes: Uint8Array): { headerLength: number; raw: string; metadata: Record<string, string>; tensors: Record<string, SpecTensor> } {
  // Bytes 0..7: N as an unsigned little-endian 64-bit integer, byte by byte.
  let headerLength = 0;
  for (let i = 7; i >= 0; i--) headerLength = headerLength * 256 + bytes[i];
  const raw = Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8');
  const header = JSON.parse(raw) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const tensors: Record<string, SpecTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = info as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets } = info as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const [begin, end] = data_offsets;
    const width = dtype === 'F64' ? 8 : 4;
    const values: number[] = [];
    for (let at = dataStart + begin; at < dataStart + end; at += width) {
      const chunk = Buffer.from(bytes.subarray(at, at + width));
      values.push(width === 8 ? chunk.readDoubleLE(0) : chunk.readFloatLE(0));
    }
    tensors[name] = { dtype, shape, values, begin, end };
  }
  return { headerLength, raw, metadata, tensors };
}

const model = (): MLP => new MLP([3, 5, 4, 2], { activation: 'tanh', rng: rng(7) });

test('the bytes follow the specification: header length, JSON header, offsets tiling the data, little-endian row-major values', () => {
  const mlp = model();
  const bytes = mlp.toSafetensors();
  const read = specRead(bytes);
  assert.ok(read.raw.startsWith('{'), 'the header starts with {');
  assert.is((8 + read.headerLength) % 8, 0, 'the data starts 8-byte aligned (header padded with spaces)');
  assert.equal(read.metadata, { format: 'focalgrad-mlp', sizes: '[3,5,4,2]', activation: 'tanh' });
  // nn.Sequential(Linear(3,5), Tanh(), Linear(5,4), Tanh(), Linear(4,2)): modules 0, 2, 4.
  assert.equal(Object.keys(read.tensors), ['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
  const sizes = [3, 5, 4, 2];
  let offset = 0;
  for (let l = 0; l < 3; l++) {
    const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
    const w = read.tensors[`${2 * l}.weight`];
    const b = read.tensors[`${2 * l}.bias`];
    assert.equal([w.dtype, w.shape, w.begin, w.end], ['F64', [fanOut, fanIn], offset, offset + 8 * fanIn * fanOut]);
    offset = w.end;
    assert.equal([b.dtype, b.shape, b.begin, b.end], ['F64', [fanOut], offset, offset + 8 * fanOut]);
    offset = b.end;
    // torch's weight[o][i] is focalgrad's W[i][o] (W stored [in, out]).
    const W = mlp.layers[l].weight.data;
    for (let o = 0; o < fanOut; o++) for (let i = 0; i < fanIn; i++) assert.ok(Object.is(w.values[o * fanIn + i], W[i * fanOut + o]), `${l} W[${i}][${o}]`);
    sameBits(b.values, mlp.layers[l].bias?.data ?? [], `${2 * l}.bias`);
  }
  assert.is(bytes.length, 8 + read.headerLength + offset, 'the data ends where the last tensor ends');
});

test('F64 round trip is bit-exact, and the model computes the same logits', () => {
  const mlp = model();
  // Weights that need all 64 bits, and a negative zero.
  mlp.layers[0].weight.data[0] = 0.1 + 0.2;
  mlp.layers[0].weight.data[1] = -0;
  mlp.layers[1].weight.data[2] = Number.MIN_VALUE;
  const back = MLP.fromSafetensors(mlp.toSafetensors({ dtype: 'F64' }));
  assert.equal(back.sizes, mlp.sizes);
  assert.is(back.activation, 'tanh');
  back.parameters().forEach((p, i) => sameBits(p.data, mlp.parameters()[i].data, `parameter ${i}`));
  const x = tensor([
    [0.5, -1, 2],
    [3, 0, -0.25],
  ]);
  sameBits(back.forward(x).data, mlp.forward(x).data, 'logits');
  // An ArrayBuffer works as well as a Uint8Array.
  const bytes = mlp.toSafetensors();
  sameBits(MLP.fromSafetensors(bytes.slice().buffer).parameters()[0].data, mlp.parameters()[0].data, 'from an ArrayBuffer');
});

test('F32: half the data bytes, each weight the nearest float32 (Math.fround)', () => {
  const mlp = model();
  const f32 = mlp.toSafetensors({ dtype: 'F32' });
  const read = specRead(f32);
  assert.is(read.tensors['0.weight'].dtype, 'F32');
  const f64 = specRead(mlp.toSafetensors());
  assert.is(f32.length - 8 - read.headerLength, (f64.tensors['4.bias'].end) / 2);
  const back = MLP.fromSafetensors(f32);
  back.parameters().forEach((p, i) => sameBits(p.data, Array.from(mlp.parameters()[i].data, Math.fround), `parameter ${i}`));
  // Negative control: float32 really rounds (otherwise the check above proves nothing).
  assert.ok(back.parameters().some((p, i) => p.data.some((v, j) => v !== mlp.parameters()[i].data[j])));
});

// A copy of `bytes` with its header replaced by `edit(header)` (the header length updated to match).
function withHeader(bytes: Uint8Array, edit: (header: Record<string, Record<string, unknown>>) => void): Uint8Array {
  const read = specRead(bytes);
  const header = JSON.parse(read.raw) as Record<string, Record<string, unknown>>;
  edit(header);
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - read.headerLength);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + read.headerLength), 8 + json.length);
  return out;
}

test('a truncated file, or a header that lies, is an Error naming MLP.fromSafetensors', () => {
  const bytes = new MLP([2, 3, 2], { rng: rng(1) }).toSafetensors();
  const who = 'MLP.fromSafetensors';
  throwsWith(() => MLP.fromSafetensors(bytes.subarray(0, 5)), [who, '5 bytes']);
  throwsWith(() => MLP.fromSafetensors(bytes.subarray(0, 40)), [who, 'header length', 'overruns']);
  throwsWith(() => MLP.fromSafetensors(bytes.subarray(0, bytes.length - 8)), [who, 'truncated']);
  const huge = bytes.slice();
  huge[7] = 1; // a header length of 2⁵⁶ + ...
  throwsWith(() => MLP.fromSafetensors(huge), [who, 'overruns']);
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => (h['2.bias'].data_offsets = [0, 16]))), [who, '"2.bias"']);
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => (h['0.weight'].shape = [3, 3]))), [who, '"0.weight"', 'needs 72 bytes']);
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => (h['0.weight'].dtype = 'F16'))), [who, 'F16', 'expected F64 or F32']);
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => (h.__metadata__.sizes = '[2,4,2]'))), [who, '"0.weight"', 'expected [4, 2]']);
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => (h.__metadata__.format = 'pt'))), [who, 'format']);
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => delete h['2.bias'])), [who, 'cover']);
  // Extra bytes after the last tensor: the buffer must be entirely indexed.
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes);
  throwsWith(() => MLP.fromSafetensors(padded), [who, 'cover']);
  const garbled = bytes.slice();
  garbled[8] = 0x5b; // '[' instead of '{'
  throwsWith(() => MLP.fromSafetensors(garbled), [who, 'JSON object']);
  throwsWith(() => MLP.fromSafetensors('model.safetensors' as unknown as Uint8Array), [who, 'Uint8Array']);
  // NaN weights written by a lying writer are refused like a bad JSON file's.
  const nan = bytes.slice();
  new DataView(nan.buffer).setFloat64(8 + specRead(bytes).headerLength, Number.NaN, true);
  throwsWith(() => MLP.fromSafetensors(nan), [who, 'finite']);
});

test('data_offsets wider than the shape are refused, even when the tensors still tile the data', () => {
  const bytes = new MLP([2, 3, 2], { rng: rng(1) }).toSafetensors();
  const who = 'MLP.fromSafetensors';
  // The last tensor's span grows by 8 bytes and the file by 8 bytes of padding: no hole, no overlap,
  // nothing truncated, so only the check of the span against its shape and dtype can refuse it.
  const header = JSON.parse(specRead(bytes).raw) as Record<string, { data_offsets?: [number, number] }>;
  const last = Object.keys(header).reduce((a, b) => ((header[b].data_offsets?.[1] ?? -1) > (header[a].data_offsets?.[1] ?? -1) ? b : a));
  const [begin, end] = header[last].data_offsets!;
  const wide = withHeader(bytes, (h) => (h[last].data_offsets = [begin, end + 8]));
  const padded = new Uint8Array(wide.length + 8);
  padded.set(wide);
  throwsWith(() => MLP.fromSafetensors(padded), [who, `"${last}"`, `needs ${end - begin} bytes`, `hold ${end - begin + 8}`]);
  // Control: rewritten through the same helper with the span left alone, the file still reads.
  assert.ok(MLP.fromSafetensors(withHeader(bytes, () => undefined)) instanceof MLP);
});

test('toSafetensors options are checked', () => {
  const mlp = new MLP([2, 2], { rng: rng(0) });
  throwsWith(() => mlp.toSafetensors({ dtype: 'F16' as 'F32' }), ['mlp.toSafetensors', "'F64' or 'F32'", 'F16']);
  throwsWith(() => mlp.toSafetensors({ dtpye: 'F32' } as never), ['mlp.toSafetensors', 'unknown option "dtpye"', 'dtype']);
  // null means "all defaults", as for every options object of the library (engine/checks.ts checkOptions).
  assert.equal(mlp.toSafetensors(null), mlp.toSafetensors());
});

test('toSafetensors refuses what its reader refuses: a NaN or infinite weight, and for F32 a weight beyond float32 (1e39)', () => {
  const mlp = new MLP([2, 3, 2], { rng: rng(1) });
  // focalgrad stores W as [in, out]; the file as torch's [out, in]: W[1][2] is 0.weight[2, 1].
  mlp.parameters()[0].data[1 * 3 + 2] = Number.NaN;
  throwsWith(() => mlp.toSafetensors(), ['mlp.toSafetensors: weight 0.weight[2, 1] is NaN', 'finite weights only']);
  mlp.parameters()[0].data[1 * 3 + 2] = 0.5;
  mlp.parameters()[3].data[1] = -Infinity;
  throwsWith(() => mlp.toSafetensors({ dtype: 'F32' }), ['mlp.toSafetensors: weight 2.bias[1] is -Infinity']);
  mlp.parameters()[3].data[1] = 1e39;
  // F64 holds 1e39 exactly and reads it back; F32 would store Infinity.
  assert.is(MLP.fromSafetensors(mlp.toSafetensors()).parameters()[3].data[1], 1e39);
  throwsWith(() => mlp.toSafetensors({ dtype: 'F32' }), ['mlp.toSafetensors: weight 2.bias[1] is 1e+39 (beyond float32', 'save as F64']);
  // The largest float32 itself, and a value that rounds down to it, are kept.
  const maxF32 = 3.4028234663852886e38;
  mlp.parameters()[3].data[1] = maxF32 * (1 + 2 ** -26);
  assert.is(Math.fround(mlp.parameters()[3].data[1]), maxF32, 'the premise: it rounds to the largest float32');
  assert.is(MLP.fromSafetensors(mlp.toSafetensors({ dtype: 'F32' })).parameters()[3].data[1], maxF32);
});

test('reversed data_offsets are reported with their values', () => {
  const bytes = new MLP([2, 2], { rng: rng(0) }).toSafetensors();
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => (h['0.bias'].data_offsets = [48, 32]))), [
    'MLP.fromSafetensors: tensor "0.bias" has data_offsets [48, 32] (expected [begin, end] of byte counts with begin ≤ end)',
  ]);
  throwsWith(() => MLP.fromSafetensors(withHeader(bytes, (h) => (h['0.bias'].data_offsets = [-1, 'x']))), ['data_offsets [-1, "x"]']);
});

test.run();
