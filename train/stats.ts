// Statistics of a paired comparison: Student's t distribution (CDF and quantile) and Nadeau & Bengio's corrected resampled t interval.

/** A paired difference over J splits with its interval (see correctedInterval). */
export interface PairedInterval {
  /** The mean difference d̄ over the splits. */
  mean: number;
  /** Sample standard deviation of the per-split differences (divides by J − 1; 0 for one split). */
  std: number;
  /** The corrected standard error √(std² · (1/J + nTest/nTrain)); null for one split. */
  se: number | null;
  /** Degrees of freedom, J − 1. */
  df: number;
  /** The interval's ends; null for one split (there is no spread to speak of). */
  lower: number | null;
  upper: number | null;
  /** The confidence level, e.g. 0.95. */
  level: number;
}

/**
 * The regularised incomplete beta function I_x(a, b), by the continued fraction of Numerical Recipes §6.4
 * (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) throw new Error(`incompleteBeta: needs x in [0, 1] and a, b > 0, got x ${x}, a ${a}, b ${b}`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom: 1 − ½ I_{df/(df+t²)}(df/2, ½) for t ≥ 0, by symmetry below. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new Error(`studentTCdf: df must be > 0, got ${df}`);
  if (Number.isNaN(t)) throw new Error('studentTCdf: t is NaN');
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom (scipy.stats.t.ppf(p, df)): the CDF
 * inverted by bisection to the last bits (the CDF is monotone, so bisection cannot miss).
 * @example studentTQuantile(0.975, 4) // 2.7764451051977987
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`studentTQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new Error(`studentTQuantile: df must be > 0, got ${df}`);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let k = 0; k < 200 && hi - lo > 4 * Number.EPSILON * hi; k++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Nadeau & Bengio's (2003) corrected resampled t interval for the mean of J paired differences measured
 * on repeated train/test splits of one dataset. The splits overlap, so the differences are correlated and
 * the plain variance/J understates the spread; the correction uses var · (1/J + nTest/nTrain), with
 * t on J − 1 degrees of freedom (Bouckaert & Frank 2004 for the repeated random splits; nTest/nTrain =
 * 1/(K − 1) for K-fold). One split gives the mean and no interval.
 * @example correctedInterval([0.02, 0.01, 0.03], 0.3 / 0.7) // { mean: 0.02, lower: −0.0087…, upper: 0.0487…, … }
 */
export function correctedInterval(differences: readonly number[], testTrainRatio: number, level = 0.95): PairedInterval {
  const j = differences.length;
  if (j === 0) throw new Error('correctedInterval: needs at least one difference, got none');
  if (!differences.every(Number.isFinite)) throw new Error(`correctedInterval: differences must be finite numbers, got [${differences.join(', ')}]`);
  if (!(testTrainRatio > 0) || !Number.isFinite(testTrainRatio)) throw new Error(`correctedInterval: testTrainRatio must be a finite number > 0, got ${testTrainRatio}`);
  if (!(level > 0 && level < 1)) throw new Error(`correctedInterval: level must be in (0, 1), got ${level}`);
  const mean = differences.reduce((s, d) => s + d, 0) / j;
  if (j === 1) return { mean, std: 0, se: null, df: 0, lower: null, upper: null, level };
  const variance = differences.reduce((s, d) => s + (d - mean) ** 2, 0) / (j - 1);
  const se = Math.sqrt(variance * (1 / j + testTrainRatio));
  const half = studentTQuantile(1 - (1 - level) / 2, j - 1) * se;
  return { mean, std: Math.sqrt(variance), se, df: j - 1, lower: mean - half, upper: mean + half, level };
}

// ln Γ(x) for x > 0, Lanczos (g = 7, 9 terms), about 15 significant digits; the reflection is not needed
// here (a, b > 0).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let k = 1; k < 9; k++) sum += LANCZOS[k] / (z + k);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

// The continued fraction of I_x(a, b) (without its front factor), modified Lentz's method.
function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    // The even step, then the odd step of the fraction.
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  return h;
}
