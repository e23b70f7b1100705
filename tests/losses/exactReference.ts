// Exact references for the accuracy tests: BigInt fixed-point arithmetic with 1400 fraction bits, so
// that e^u, log(1 + e^u) and σ(u) are known to ~400 significant bits down to e^−745. Nothing here
// calls the engine: exp is a Taylor series after halving the argument, log1p an atanh series.

const F = 1400n; // fraction bits
const ONE = 1n << F;

// A double that is a dyadic rational with at most 20 fraction bits (every test input is), exactly.
export function fixed(x: number): bigint {
  const scaled = x * 2 ** 20;
  if (!Number.isInteger(scaled)) throw new Error(`fixed: ${x} has more than 20 fraction bits`);
  return BigInt(scaled) << (F - 20n);
}

const mul = (a: bigint, b: bigint): bigint => (a * b) >> F;
const div = (a: bigint, b: bigint): bigint => (a << F) / b;

// e^u: u/2^m by Taylor series (|u/2^m| < 2^−8), then squared m times.
export function exp(u: bigint): bigint {
  let m = 0n;
  let r = u;
  const limit = ONE >> 8n;
  while (r > limit || -r > limit) {
    r /= 2n; // exact enough: the dropped bits are 2^−1400 of a term
    m++;
  }
  let sum = ONE;
  let term = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = mul(term, r) / k;
    sum += term;
  }
  for (let i = 0n; i < m; i++) sum = mul(sum, sum);
  return sum;
}

// log(1 + y) for 0 ≤ y ≤ 1, as 2·atanh(z) with z = y/(2 + y) ≤ 1/3.
function log1p(y: bigint): bigint {
  const z = div(y, 2n * ONE + y);
  const z2 = mul(z, z);
  let sum = 0n;
  let power = z;
  for (let k = 1n; power !== 0n; k += 2n) {
    sum += power / k;
    power = mul(power, z2);
  }
  return 2n * sum;
}

// softplus(u) = log(1 + e^u) = max(u, 0) + log1p(e^−|u|); σ(u) = e^u/(1 + e^u), from e^−|u| too.
export function softplus(u: bigint): bigint {
  const abs = u < 0n ? -u : u;
  return (u > 0n ? u : 0n) + log1p(exp(-abs));
}

export function sigmoid(u: bigint): bigint {
  const e = exp(u < 0n ? u : -u); // e^−|u|
  return u < 0n ? div(e, ONE + e) : div(ONE, ONE + e);
}

export function pow(a: bigint, n: number): bigint {
  let out = ONE;
  for (let i = 0; i < n; i++) out = mul(out, a);
  return out;
}

export { mul };

// The nearest double (to within an ulp) of a fixed-point value: its top 60 bits, then exact scaling by 2^e.
export function toDouble(a: bigint): number {
  if (a === 0n) return 0;
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const bits = abs.toString(2).length;
  const shift = bits - 60;
  const top = Number(shift > 0 ? abs >> BigInt(shift) : abs << BigInt(-shift));
  const e = shift - Number(F);
  const half = Math.trunc(e / 2);
  const value = top * 2 ** half * 2 ** (e - half);
  return negative ? -value : value;
}

// The focal loss of a pair of logits [a, b] with target 0, as a function of u = b − a:
// 1 − p_t = σ(u), −log p_t = softplus(u), loss = σ(u)^γ · softplus(u),
// dloss/du = σ(u)^γ · [γ·σ(−u)·softplus(u) + σ(u)] (γ > 0), σ(u) (γ = 0).
// σ(u)^γ is a product for integer γ, else e^(γ·log σ(u)) = e^(−γ·softplus(−u)) (γ with ≤ 20 fraction bits).
export function focalPair(u: number, gamma: number): { value: number; dU: number } {
  const U = fixed(u);
  const s = sigmoid(U);
  const sp = softplus(U);
  const factor = Number.isInteger(gamma) ? pow(s, gamma) : exp(-mul(fixed(gamma), softplus(-U)));
  const value = mul(factor, sp);
  const dU = gamma === 0 ? s : mul(factor, mul(fixed(gamma), mul(sigmoid(-U), sp)) + s);
  return { value: toDouble(value), dU: toDouble(dU) };
}
