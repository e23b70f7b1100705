// Tests for train/stats.ts: Student's t CDF against closed forms, its quantile against published tables and scipy, the corrected resampled t interval against a worked example.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { correctedInterval, incompleteBeta, studentTCdf, studentTQuantile } from '../../train/index.js';
import { throwsWith } from './helpers.js';

function near(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

test('studentTCdf: the closed forms of 1 and 2 degrees of freedom (Cauchy; ½ + t / (2√(2 + t²)))', () => {
  for (const t of [-30, -3, -1, -0.2, 0, 0.5, 1, 2.5, 12, 400]) {
    near(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-12, `df 1, t ${t}`);
    near(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-12, `df 2, t ${t}`);
    const u = t / Math.sqrt(3);
    near(studentTCdf(t, 3), 0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 1e-12, `df 3, t ${t}`);
  }
  assert.is(studentTCdf(Infinity, 3), 1);
  assert.is(studentTCdf(-Infinity, 3), 0);
  // I_x(1, 1) = x and I_x(a, 1) = x^a.
  near(incompleteBeta(0.3, 1, 1), 0.3, 1e-13, 'I_0.3(1, 1)');
  near(incompleteBeta(0.3, 2.5, 1), 0.3 ** 2.5, 1e-12, 'I_0.3(2.5, 1)');
});

test('studentTQuantile: a published t table (three decimals) and scipy.stats.t.ppf (scipy 1.10.1) to 5e-9', () => {
  // Two-sided 95 % critical values, any statistics textbook's t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
  const table: [number, number][] = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [9, 2.262], [10, 2.228], [29, 2.045], [100, 1.984]];
  for (const [df, t] of table) assert.is(studentTQuantile(0.975, df).toFixed(3), t.toFixed(3), `t(0.975, ${df})`);
  // scipy.stats.t.ppf(p, df), printed with repr().
  const scipy: [number, number, number][] = [
    [0.975, 1, 12.706204736432095],
    [0.975, 4, 2.7764451051977987],
    [0.975, 29, 2.045229642132703],
    [0.95, 10, 1.8124611228107335],
    [0.995, 3, 5.84090929975643],
    [0.6, 5, 0.2671808657039658],
  ];
  // NOTE: 5e-9, not 1e-12: scipy's own ppf is off there (at df 3, p 0.995, the closed form of the df-3 CDF
  // gives 0.995 − 2.4e-11 at scipy's value and 0.995 at ours).
  for (const [p, df, t] of scipy) near(studentTQuantile(p, df), t, 5e-9, `t(${p}, ${df})`);
  // Symmetry, and the quantile inverts the CDF.
  assert.is(studentTQuantile(0.025, 4), -studentTQuantile(0.975, 4));
  near(studentTCdf(studentTQuantile(0.9, 7), 7), 0.9, 1e-12, 'CDF(quantile)');
  throwsWith(() => studentTQuantile(1, 3), ['studentTQuantile', 'p must be in (0, 1)']);
  throwsWith(() => studentTQuantile(0.5, 0), ['studentTQuantile', 'df']);
});

test('correctedInterval: a worked example, the arithmetic written out (Nadeau & Bengio 2003)', () => {
  // Five paired differences; 25 % of the rows tested, 55 % learnt from: nTest / nTrain = 0.25 / 0.55 = 5 / 11.
  const d = [0.02, 0.01, 0.03, -0.005, 0.015];
  const r = correctedInterval(d, 0.25 / 0.55);
  // mean 0.07 / 5 = 0.014; deviations 0.006, −0.004, 0.016, −0.019, 0.001; squares sum to 670e-6; var = 670e-6 / 4.
  const variance = 670e-6 / 4;
  const se = Math.sqrt(variance * (1 / 5 + 5 / 11));
  near(r.mean, 0.014, 1e-14, 'mean');
  near(r.std, Math.sqrt(variance), 1e-12, 'std');
  near(r.se as number, se, 1e-12, 'corrected standard error');
  assert.is(r.df, 4);
  // numpy + scipy: m − t.ppf(0.975, 4)·se and m + ..., the same arithmetic: −0.015071430510421986, 0.04307143051042199.
  near(r.lower as number, -0.015071430510421986, 1e-9, 'lower');
  near(r.upper as number, 0.04307143051042199, 1e-9, 'upper');
  // Negative control: the plain paired t (var / J) gives a half-width of 0.0161, the corrected one 0.0291.
  const half = (r.upper as number) - r.mean;
  near(half, studentTQuantile(0.975, 4) * se, 1e-12, 'corrected half-width');
  assert.ok(Math.abs(half - studentTQuantile(0.975, 4) * Math.sqrt(variance / 5)) > 0.01, 'the plain paired t would be this much narrower');
  // Folds: K = 5 gives nTest / nTrain = 1/4.
  near(correctedInterval(d, 1 / 4).se as number, Math.sqrt(variance * (1 / 5 + 1 / 4)), 1e-12, 'K-fold ratio');
});

test('correctedInterval: one split has a mean and no interval; bad input is an Error', () => {
  assert.equal(correctedInterval([0.03], 0.5), { mean: 0.03, std: 0, se: null, df: 0, lower: null, upper: null, level: 0.95 });
  throwsWith(() => correctedInterval([], 0.5), ['correctedInterval', 'at least one']);
  throwsWith(() => correctedInterval([0.1, NaN], 0.5), ['correctedInterval', 'finite']);
  throwsWith(() => correctedInterval([0.1, 0.2], 0), ['correctedInterval', 'testTrainRatio']);
});

test.run();
