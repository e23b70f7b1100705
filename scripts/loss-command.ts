// `focalgrad loss`: one loss and its gradient from flags (or one JSON object on stdin), printed as JSON.
import { parseArgs } from 'node:util';
import { type Tensor, tensor } from '../engine/index.js';
import { LOSS_RECORDS, type LossRecord, type Target } from '../losses/index.js';
import { didYouMean } from './did-you-mean.js';

/** A loss's options as the command passes them on: the library's names, checked by the library. */
export type LossOptions = Record<string, unknown>;

const KINDS = LOSS_RECORDS.map((r) => r.name);
// FL* was `--kind star` before it took the trainer's name; a script that still says so gets the new name.
const RENAMED: Readonly<Record<string, string>> = { star: 'focal-star' };
// NOTE: the function's own name (focalLoss): the bundle is not minified, and a test holds it to the export.
const fnName = (record: LossRecord): string => record.fn.name;

const kindsTaking = (key: string): string =>
  LOSS_RECORDS.filter((r) => r.keys.includes(key))
    .map((r) => r.name)
    .join(', ');

export const LOSS_USAGE = `usage: focalgrad loss --kind KIND --logits JSON --target JSON [options]
       echo '{"kind": "focal", "logits": [[...]], "target": [...], "gamma": 2}' | focalgrad loss

Prints {"loss": ..., "grad": [...]}: the loss and its gradient with respect to --logits, numbers with
17 significant digits. With --reduction none, "loss" is one value per sample and "grad" is the
gradient of their sum.

  --kind ${KINDS.join('|')}
${LOSS_RECORDS.map((r) => `                         ${r.name.padEnd(12)}${fnName(r)} (input: ${r.input})`).join('\n')}
  --logits JSON        the input. logits, probs: [N, C] or [N, C, d1, ...] (class axis 1), and
                       focal-star also [N]; binary-logits, regression: any shape
  --target JSON        logits, probs: class indices [N] (or [N, d1, ...]) or label rows of the
                       input's shape; binary-logits, regression: values of the input's shape
  --gamma G            γ ≥ 0 (focal, probs: or flsd53; focal-star: > 0)  (${kindsTaking('gamma')})
  --alpha A            a number, or one per class as JSON [a0, a1, ...]  (${kindsTaking('alpha')})
  --weight JSON        one weight per class (ce); per element of the last axis (bce)   (${kindsTaking('weight')})
  --pos-weight JSON    the weight of positives, per element of the last axis          (${kindsTaking('posWeight')})
  --label-smoothing S  in [0, 1]                                         (${kindsTaking('labelSmoothing')})
  --ignore-index I     the class index whose samples are left out        (${kindsTaking('ignoreIndex')})
  --epsilon E          the clip of the probabilities                     (${kindsTaking('epsilon')})
  --beta B             the shift β of FL*                                (${kindsTaking('beta')})
  --reduction R        mean (default), sum or none
  --help               this text

In a JSON object on stdin the keys are kind, logits, target and the options' names: gamma, alpha,
weight, posWeight, labelSmoothing, ignoreIndex, epsilon, beta, reduction.`;

/** A bad command line or input: one line, exit 2. */
export class UsageError extends Error {}

// Flag ↔ option name.
const FLAGS: Record<string, string> = {
  gamma: 'gamma',
  alpha: 'alpha',
  weight: 'weight',
  'pos-weight': 'posWeight',
  'label-smoothing': 'labelSmoothing',
  'ignore-index': 'ignoreIndex',
  epsilon: 'epsilon',
  beta: 'beta',
  reduction: 'reduction',
};
const flagOf = (option: string): string => `--${Object.keys(FLAGS).find((f) => FLAGS[f] === option) ?? option}`;

// A flag's text as JSON when it parses as JSON (numbers, arrays), else as the string itself (flsd53, mean).
function fromFlag(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function jsonError(text: unknown): string {
  if (typeof text !== 'string') return '';
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return ` (malformed JSON: ${(error as Error).message})`;
  }
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function isNested(value: unknown): boolean {
  return typeof value === 'number' || (Array.isArray(value) && value.length > 0 && value.every(isNested));
}

// Syntax only: the library checks meaning (shapes, ranges) and its message is reported as it is.
function checkSyntax(option: string, value: unknown): unknown {
  const numberOnly = ['labelSmoothing', 'ignoreIndex', 'epsilon', 'beta'];
  if (numberOnly.includes(option) && typeof value !== 'number') {
    throw new UsageError(`${flagOf(option)}: expected a number, got ${shown(value)}`);
  }
  if (option === 'gamma' && typeof value !== 'number' && value !== 'flsd53') {
    throw new UsageError(`--gamma: expected a number or flsd53, got ${shown(value)}`);
  }
  if (option === 'alpha' && typeof value !== 'number' && !(Array.isArray(value) && value.every((v) => typeof v === 'number'))) {
    throw new UsageError(`--alpha: expected a number or a JSON array of numbers, got ${shown(value)}${jsonError(value)}`);
  }
  if ((option === 'weight' || option === 'posWeight') && !(Array.isArray(value) && value.every((v) => typeof v === 'number'))) {
    throw new UsageError(`${flagOf(option)}: expected a JSON array of numbers, got ${shown(value)}${jsonError(value)}`);
  }
  if (option === 'reduction' && !['mean', 'sum', 'none'].includes(value as string)) {
    throw new UsageError(`--reduction: expected mean, sum or none, got ${shown(value)}`);
  }
  return value;
}

interface Request {
  record: LossRecord;
  logits: unknown;
  target: Target;
  options: LossOptions;
}

// Checks a request given as { kind, logits, target, ...options } (from flags or stdin).
export function readRequest(fields: Record<string, unknown>): Request {
  const kind = fields.kind;
  const record = LOSS_RECORDS.find((r) => r.name === kind);
  if (record === undefined) {
    const renamed = typeof kind === 'string' && Object.hasOwn(RENAMED, kind) ? ` (renamed: did you mean ${RENAMED[kind]}?)` : '';
    throw new UsageError(`--kind: expected one of ${KINDS.join(', ')}, got ${shown(kind)}${renamed}`);
  }
  const { logits, target } = fields;
  if (logits === undefined) throw new UsageError('--logits: missing (expected a JSON array of numbers)');
  if (!Array.isArray(logits) || !isNested(logits)) {
    throw new UsageError(`--logits: expected a JSON array of numbers (nested for [N, C]), got ${shown(logits)}${jsonError(logits)}`);
  }
  if (target === undefined) throw new UsageError('--target: missing (expected a JSON array)');
  if (!Array.isArray(target) || !isNested(target)) {
    throw new UsageError(`--target: expected a JSON array of class indices or of label rows, got ${shown(target)}${jsonError(target)}`);
  }
  const options: LossOptions = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'kind' || key === 'logits' || key === 'target') continue;
    if (!record.keys.includes(key)) {
      const known = Object.values(FLAGS).includes(key);
      throw new UsageError(
        `${known ? flagOf(key) : JSON.stringify(key)}: ${known ? 'not an option of' : 'unknown option for'} --kind ${kind} ` +
          `(it takes ${record.keys.map(flagOf).join(', ')})`,
      );
    }
    options[key] = checkSyntax(key, value);
  }
  let t: Target;
  try {
    t = readTarget(record, target);
  } catch (error) {
    throw new UsageError(`--target: ${(error as Error).message}`);
  }
  return { record, logits, target: t, options };
}

/** A target from JSON: class indices stay a number[] for the class losses; rows, dense maps and elementwise targets become a Tensor. */
export function readTarget(record: LossRecord, target: unknown): Target {
  const classIndices = (record.input === 'logits' || record.input === 'probs') && Array.isArray(target) && target.every((t) => typeof t === 'number');
  return classIndices ? (target as number[]) : tensor(target as number[]);
}

export interface LossResult {
  /** the loss (an array for reduction 'none') */
  loss: number | unknown[];
  /** ∂(sum of the loss)/∂input, in the input's shape */
  grad: unknown;
}

/** The loss and the gradient of its sum (its own value unless reduction is 'none') with respect to the input. */
export function evaluate(record: LossRecord, input: unknown, target: Target, options: LossOptions): LossResult {
  const x = tensor(input as number[], { requiresGrad: true });
  const out = record.fn(x, target, options);
  out.sum().backward();
  const grad = (x.grad as Tensor).toArray();
  return { loss: out.ndim === 0 ? out.item() : (out.toArray() as unknown[]), grad };
}

/** A number with 17 significant digits (enough for any double to read back to the same bits); nested arrays of them as JSON arrays. */
export function full17(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`full17: ${value} cannot be written as a JSON number`);
    return Object.is(value, -0) ? '-0.0000000000000000' : value.toPrecision(17);
  }
  if (Array.isArray(value)) return `[${value.map(full17).join(', ')}]`;
  throw new Error(`full17: expected a number or an array of numbers, got ${typeof value}`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// Runs `focalgrad loss ARGS`; returns the JSON line to print. Bad input is a UsageError.
export async function lossCommand(args: string[]): Promise<string | null> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        kind: { type: 'string' },
        logits: { type: 'string' },
        target: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    const unknown = /^Unknown option '(--[^']+)'/.exec(first)?.[1];
    const known = ['--kind', '--logits', '--target', '--help', ...Object.keys(FLAGS).map((flag) => `--${flag}`)];
    const hint = unknown === undefined ? '' : didYouMean(unknown, known);
    throw new UsageError(`${first}${hint} (focalgrad loss --help lists the flags)`);
  }
  if (values.help === true) return LOSS_USAGE;
  let fields: Record<string, unknown>;
  if (Object.keys(values).length === 0) {
    if (process.stdin.isTTY) throw new UsageError('--kind, --logits and --target are missing (or give one JSON object on stdin)');
    const text = await readStdin();
    try {
      fields = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`stdin: expected one JSON object (malformed JSON: ${(error as Error).message})`);
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new UsageError(`stdin: expected one JSON object, got ${shown(fields)}`);
    }
  } else {
    fields = {};
    for (const [flag, text] of Object.entries(values)) {
      const key = flag === 'kind' || flag === 'logits' || flag === 'target' ? flag : FLAGS[flag];
      fields[key] = flag === 'kind' ? text : fromFlag(text as string);
    }
  }
  const request = readRequest(fields);
  let result;
  try {
    result = evaluate(request.record, request.logits, request.target, request.options);
  } catch (error) {
    // The library's message names the function and the input ("focalLoss: target 3 of row 0 ...").
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  return `{"loss": ${full17(result.loss)}, "grad": ${full17(result.grad)}}`;
}
