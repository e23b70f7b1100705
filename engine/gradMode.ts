// Whether ops record the graph: on by default, off inside noGrad and during a plain backward.
import { describeValue } from './format.js';

let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

// Runs fn with recording switched on or off, and restores the previous state even if fn throws.
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = on;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Runs fn without recording a graph (torch.no_grad) and returns its result. */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new Error(`noGrad: fn must be a function, got ${describeValue(fn)}`);
  return withGradMode(false, fn);
}
