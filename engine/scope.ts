// Scopes: which composite function (a loss, mean, a layer) made a node, so that a picture of the graph can group them.
import { describeValue } from './format.js';

/**
 * One call of a composite function: its name and the scope it was called in (null at the top).
 * Every call makes a new Scope, so two calls of `focalLoss` are two groups in a picture.
 */
export interface Scope {
  readonly name: string;
  readonly parent: Scope | null;
}

// NOTE: a module-level variable that the Tensor constructor reads once. Unused, it stays null and a
// node pays one load and one store for it: no stack walk, no string building in the hot path.
let current: Scope | null = null;

/** @internal the innermost open scope, read by the Tensor constructor */
export function currentScope(): Scope | null {
  return current;
}

/**
 * Runs `fn` with every tensor it creates marked as made inside `name` (nested in any enclosing
 * scope), and returns what `fn` returns. The scope closes even if `fn` throws. The marks only label
 * the graph (`toDot` draws each scope as a cluster); they change no value and no gradient. The same
 * idea as `tf.name_scope` and JAX's `named_scope`, without their effect on names.
 * @example
 * const centred = withScope('center', () => x.sub(x.mean()));
 * scopePath(centred.scope); // ['center']
 */
export function withScope<T>(name: string, fn: () => T): T {
  if (typeof name !== 'string' || name === '') {
    throw new Error(`withScope: expected a non-empty string as the scope's name, got ${describeValue(name)}`);
  }
  if (typeof fn !== 'function') throw new Error(`withScope: expected a function to run inside scope "${name}", got ${describeValue(fn)}`);
  const previous = current;
  current = { name, parent: previous };
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** The names of a scope and its enclosing scopes, outermost first: `['focalLoss', 'modulatingFactor']`; `[]` for none. */
export function scopePath(scope: Scope | null): string[] {
  const path: string[] = [];
  for (let s: unknown = scope; s !== null; s = (s as Scope).parent) {
    if (typeof s !== 'object' || s === undefined || typeof (s as Scope).name !== 'string' || path.length > 10_000) {
      throw new Error(`scopePath: expected a Scope (a tensor's .scope) or null, got ${describeValue(scope)}`);
    }
    path.push((s as Scope).name);
  }
  return path.reverse();
}
