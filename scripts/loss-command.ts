// `focalgrad loss`: one loss and its gradient from flags (or one JSON object on stdin), printed as JSON.
import { parseArgs } from 'node:util';
import { tensor } from '../engine/index.js';
import type { Target } from '../losses/index.js';
import { didYouMean } from './did-you-mean.js';
import { type Kind, KINDS, type LossOptions, evaluate, full17 } from './loss-kinds.js';

export const LOSS_USAGE = `usage: focalgrad loss --kind KIND --logits JSON --target JSON [options]
       echo '{"kind": "focal", "logits": [[...]], "target": [...], "gamma": 2}' | focalgrad loss

Prints {"loss": ..., "grad": [...]}: the loss and its gradient with respect to --logits, numbers with
17 significant digits. With --reduction none, "loss" is one value per sample and "grad" is the
gradient of their sum.

  --kind ce|focal|probs|binary|star|bce|mse
                       crossEntropy, focalLoss, focalLossFromProbs (--logits holds probabilities),
                       binaryFocalLoss, focalLossStar, binaryCrossEntropy, mseLoss (--logits holds
                       the predictions)
  --logits JSON        the input: [[...], ...] of shape [N, C] or [N, C, d1, ...] (class axis 1);
                       any shape for binary, bce and mse; [N] or [N, C] for star
  --target JSON        class indices [N] (or [N, d1, ...]), or label rows of the input's shape;
                       for binary, bce and mse: values of the input's shape
  --gamma G            γ ≥ 0 (focal, probs: or flsd53; star: > 0)        (focal, probs, binary, star)
  --alpha A            a number, or one per class as JSON [a0, a1, ...]  (focal, probs, binary, star)
  --weight JSON        one weight per class (ce); per element of the last axis (bce)   (ce, bce)
  --pos-weight JSON    the weight of positives, per element of the last axis          (bce)
  --label-smoothing S  in [0, 1]                                         (ce, focal, probs)
  --ignore-index I     the class index whose samples are left out        (ce, focal, probs, star)
  --epsilon E          the clip of the probabilities                     (probs)
  --beta B             the shift β of FL*                                (star)
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
  kind: Kind;
  logits: unknown;
  target: Target;
  options: LossOptions;
}

// Checks a request given as { kind, logits, target, ...options } (from flags or stdin).
export function readRequest(fields: Record<string, unknown>): Request {
  const kind = fields.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(KINDS, kind)) {
    throw new UsageError(`--kind: expected one of ${Object.keys(KINDS).join(', ')}, got ${shown(kind)}`);
  }
  const entry = KINDS[kind as Kind];
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
    if (!entry.options.includes(key)) {
      const known = Object.values(FLAGS).includes(key);
      throw new UsageError(
        `${known ? flagOf(key) : JSON.stringify(key)}: ${known ? 'not an option of' : 'unknown option for'} --kind ${kind} ` +
          `(it takes ${entry.options.map(flagOf).join(', ')})`,
      );
    }
    options[key] = checkSyntax(key, value);
  }
  // Index targets stay a number[]; label rows, dense targets and elementwise targets become a Tensor.
  const indices = target.every((t) => typeof t === 'number') && !entry.elementwise && kind !== 'star';
  let t: Target;
  try {
    t = indices ? (target as number[]) : tensor(target as number[]);
  } catch (error) {
    throw new UsageError(`--target: ${(error as Error).message}`);
  }
  return { kind: kind as Kind, logits, target: t, options };
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
    result = evaluate(request.kind, request.logits, request.target, request.options);
  } catch (error) {
    // The library's message names the function and the input ("focalLoss: target 3 of row 0 ...").
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
  return `{"loss": ${full17(result.loss)}, "grad": ${full17(result.grad)}}`;
}
