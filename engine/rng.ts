// A small seeded PRNG (sfc32 seeded through splitmix32): every run with the same seed gives the same bits.
import { checkInteger } from './checks.js';
import { describeValue } from './format.js';

/** A seeded pseudo-random generator made by `rng(seed)`: uniform and normal numbers, integers, shuffles. */
export interface Rng {
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number;
  /** Standard normal, Box–Muller. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle in place; returns its argument. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded generator (sfc32): the same integer seed gives the same bits on every platform.
 * Seeds are integers in ±(2⁵³ − 1), so that each one is exactly representable.
 * @example const r = rng(0); randn([2, 3], r)
 */
export function rng(seed: number): Rng {
  checkInteger('rng', 'seed', seed);
  // NOTE: splitmix32 spreads nearby seeds (0, 1, 2, ...) over the whole state space of sfc32.
  // The seed's low 32 bits (two's complement, so −1 differs from 0) seed it; the high bits, if
  // any, are mixed into the last word of state.
  const high = Math.floor(seed / 0x100000000) >>> 0;
  const init = splitmix32(seed >>> 0);
  let a = init(), b = init(), c = init(), d = init() ^ (high === 0 ? 0 : splitmix32(high)());
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();

  let spareNormal: number | null = null;
  const next = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  return {
    next,
    normal() {
      if (spareNormal !== null) {
        const z = spareNormal;
        spareNormal = null;
        return z;
      }
      let u = next();
      while (u === 0) u = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    int(n) {
      checkInteger('rng.int', 'n', n, 1);
      return Math.floor(next() * n);
    },
    shuffle(items) {
      const length: unknown = (items as { length?: unknown } | null)?.length;
      if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
        throw new Error(`rng.shuffle: expected an array or a typed array, got ${describeValue(items)}`);
      }
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
  };
}
