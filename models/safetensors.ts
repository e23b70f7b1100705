// The .safetensors format (huggingface/safetensors): writing an MLP as the state_dict of the matching
// torch.nn.Sequential, and reading one back with every length and offset checked.
import { checkOptions, describeValue } from '../engine/index.js';
import { ACTIVATIONS, type Activation, MLP_FORMAT, MLP_VERSION, type MlpJSON, validateMlpJSON } from './serialize.js';

/** The element types focalgrad writes and reads: float64 (exact) or float32 (what torch uses by default). */
export type SafetensorsDtype = 'F64' | 'F32';

/** Options of `mlp.toSafetensors()`. */
export interface SafetensorsOptions {
  /** 'F64' (the default: bit-exact) or 'F32' (half the size; each weight rounded to the nearest float32) */
  dtype?: SafetensorsDtype;
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4 };
// NOTE: the reference reader refuses headers above 100 MB; so do we, before decoding anything.
const MAX_HEADER = 100_000_000;

interface Entry {
  name: string;
  shape: number[];
  values: ArrayLike<number>;
}

// The file: 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a multiple of 8,
// so the data that follows is aligned), then each tensor's row-major little-endian values, back to back.
function encode(entries: readonly Entry[], dtype: SafetensorsDtype, metadata: Record<string, string>): Uint8Array {
  const size = BYTES[dtype];
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const { name, shape, values } of entries) {
    header[name] = { dtype, shape, data_offsets: [offset, offset + values.length * size] };
    offset += values.length * size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, headerBytes.length, true);
  view.setUint32(4, 0, true);
  bytes.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const { values } of entries) {
    for (let i = 0; i < values.length; i++, at += size) {
      if (dtype === 'F64') view.setFloat64(at, values[i], true);
      else view.setFloat32(at, values[i], true);
    }
  }
  return bytes;
}

/** The bytes of a .safetensors file holding `mlp` as torch.nn.Sequential(Linear, act, ..., Linear) would save it. */
export function mlpToSafetensors(saved: MlpJSON, options: SafetensorsOptions | null | undefined, who: string): Uint8Array {
  const dtype = checkOptions<SafetensorsOptions>(who, options, ['dtype']).dtype ?? 'F64';
  if (dtype !== 'F64' && dtype !== 'F32') throw new Error(`${who}: dtype must be 'F64' or 'F32', got ${describeValue(dtype)}`);
  const entries: Entry[] = [];
  saved.layers.forEach((layer, l) => {
    const fanIn = saved.sizes[l];
    const fanOut = saved.sizes[l + 1];
    // focalgrad stores W as [in, out] (out = x·W + b); torch.nn.Linear as [out, in] (out = x·Wᵀ + b).
    const weight = new Float64Array(fanIn * fanOut);
    for (let i = 0; i < fanIn; i++) for (let o = 0; o < fanOut; o++) weight[o * fanIn + i] = layer.weight[i * fanOut + o];
    // nn.Sequential numbers its modules: Linear 0, activation 1, Linear 2, ...
    entries.push({ name: `${2 * l}.weight`, shape: [fanOut, fanIn], values: weight });
    entries.push({ name: `${2 * l}.bias`, shape: [fanOut], values: layer.bias });
  });
  const metadata = { format: MLP_FORMAT, sizes: JSON.stringify(saved.sizes), activation: saved.activation };
  return encode(entries, dtype, metadata);
}

interface Decoded {
  metadata: Record<string, string>;
  tensors: Map<string, { shape: number[]; values: Float64Array }>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

// Reads and checks the whole file: a length, an offset or a dtype that does not fit is an Error, never garbage.
function decode(bytes: Uint8Array, who: string): Decoded {
  if (bytes.length < 8) throw new Error(`${who}: the file has ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerLength = high * 2 ** 32 + low;
  if (headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
    throw new Error(`${who}: the header length ${headerLength} overruns the file of ${bytes.length} bytes (truncated, or not a .safetensors file)`);
  }
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
    if (!text.startsWith('{')) throw new Error('it does not start with "{"');
    header = JSON.parse(text);
  } catch (error) {
    throw new Error(`${who}: the header is not a JSON object: ${(error as Error).message}`);
  }
  if (!isRecord(header)) throw new Error(`${who}: the header is not a JSON object, got ${describeValue(header)}`);
  const dataLength = bytes.length - 8 - headerLength;
  const metadata: Record<string, string> = {};
  const spans: { name: string; begin: number; end: number }[] = [];
  const tensors = new Map<string, { shape: number[]; values: Float64Array }>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(info)) throw new Error(`${who}: __metadata__ must be an object of strings, got ${describeValue(info)}`);
      for (const [key, value] of Object.entries(info)) {
        if (typeof value !== 'string') throw new Error(`${who}: __metadata__.${key} must be a string, got ${describeValue(value)}`);
        metadata[key] = value;
      }
      continue;
    }
    if (!isRecord(info)) throw new Error(`${who}: tensor "${name}" must be described by an object, got ${describeValue(info)}`);
    const { dtype, shape, data_offsets: offsets } = info;
    if (dtype !== 'F64' && dtype !== 'F32') throw new Error(`${who}: tensor "${name}" has dtype ${describeValue(dtype)} (expected F64 or F32)`);
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      throw new Error(`${who}: tensor "${name}" has shape ${describeValue(shape)} (expected an array of sizes)`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      throw new Error(`${who}: tensor "${name}" has data_offsets ${describeValue(offsets)} (expected [begin, end] with begin ≤ end)`);
    }
    const [begin, end] = offsets as number[];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype]) {
      throw new Error(
        `${who}: tensor "${name}" of shape [${shape.join(', ')}] and dtype ${dtype} needs ${count * BYTES[dtype]} bytes, ` +
          `its data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    }
    if (end > dataLength) {
      throw new Error(`${who}: tensor "${name}" ends at byte ${end} of the data, which has ${dataLength} (truncated, or the header lies)`);
    }
    const values = new Float64Array(count);
    const at = 8 + headerLength + begin;
    for (let i = 0; i < count; i++) {
      values[i] = dtype === 'F64' ? view.getFloat64(at + 8 * i, true) : view.getFloat32(at + 4 * i, true);
    }
    spans.push({ name, begin, end });
    tensors.set(name, { shape: shape as number[], values });
  }
  // The format forbids holes and overlaps: the tensors tile the data exactly.
  spans.sort((a, b) => a.begin - b.begin);
  let covered = 0;
  for (const span of spans) {
    if (span.begin !== covered) {
      throw new Error(`${who}: tensor "${span.name}" starts at byte ${span.begin} of the data, expected ${covered} (no holes or overlaps)`);
    }
    covered = span.end;
  }
  if (covered !== dataLength) throw new Error(`${who}: the tensors cover ${covered} bytes of data, the file holds ${dataLength}`);
  return { metadata, tensors };
}

/** Reads a file written by mlpToSafetensors (or by safetensors.torch.save_file for the same Sequential, given the same __metadata__) back into MLP.fromJSON's form. */
export function mlpFromSafetensors(bytes: unknown, who: string): MlpJSON {
  let data: Uint8Array;
  if (bytes instanceof Uint8Array) data = bytes;
  else if (bytes instanceof ArrayBuffer) data = new Uint8Array(bytes);
  else throw new Error(`${who}: expected the file's bytes as a Uint8Array or an ArrayBuffer, got ${describeValue(bytes)}`);
  const { metadata, tensors } = decode(data, who);
  if (metadata.format !== MLP_FORMAT) {
    throw new Error(`${who}: __metadata__.format must be "${MLP_FORMAT}", got ${describeValue(metadata.format)}`);
  }
  let sizes: unknown;
  try {
    sizes = JSON.parse(metadata.sizes ?? '');
  } catch {
    throw new Error(`${who}: __metadata__.sizes must be a JSON array of layer sizes, got ${describeValue(metadata.sizes)}`);
  }
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => isCount(s) && s > 0)) {
    throw new Error(`${who}: __metadata__.sizes must list at least 2 positive layer sizes, got ${describeValue(metadata.sizes)}`);
  }
  const activation = metadata.activation as Activation;
  if (!ACTIVATIONS.includes(activation)) {
    throw new Error(`${who}: __metadata__.activation must be one of ${ACTIVATIONS.join(', ')}, got ${describeValue(metadata.activation)}`);
  }
  const expected = new Set<string>();
  const layers = (sizes as number[]).slice(1).map((fanOut, l) => {
    const fanIn = (sizes as number[])[l];
    const read = (name: string, shape: number[]): Float64Array => {
      expected.add(name);
      const t = tensors.get(name);
      if (t === undefined) throw new Error(`${who}: tensor "${name}" is missing (sizes ${metadata.sizes} need it)`);
      if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
        throw new Error(`${who}: tensor "${name}" has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
      }
      return t.values;
    };
    const w = read(`${2 * l}.weight`, [fanOut, fanIn]);
    const weight = new Array<number>(fanIn * fanOut);
    for (let i = 0; i < fanIn; i++) for (let o = 0; o < fanOut; o++) weight[i * fanOut + o] = w[o * fanIn + i];
    return { weight, bias: Array.from(read(`${2 * l}.bias`, [fanOut])) };
  });
  for (const name of tensors.keys()) {
    if (!expected.has(name)) throw new Error(`${who}: unexpected tensor "${name}" for sizes ${metadata.sizes}`);
  }
  return validateMlpJSON({ format: MLP_FORMAT, version: MLP_VERSION, sizes, activation, layers }, who);
}
