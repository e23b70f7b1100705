// The flags of the small bench scripts (roofline, matmul-kernels, batched-matmul): `--name value` read from
// process.argv, and a bad value as a usage error, one line naming the script and exit 2.

/** Reads the flags of the script named `script` (the name its usage errors begin with). */
export function scriptFlags(script: string) {
  const value = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const usageError = (message: string): never => {
    console.error(`${script}: ${message}`);
    process.exit(2);
  };
  return {
    value,
    usageError,
    /** The integer after `name` (or `fallback`), at least 1 and at most `max`; anything else is a usage error. */
    positiveInteger(name: string, fallback: number, max = Infinity): number {
      const n = Number(value(name) ?? fallback);
      if (!Number.isInteger(n) || n < 1 || n > max) {
        usageError(max === Infinity ? `${name} must be a positive integer` : `${name} must be an integer from 1 to ${max}`);
      }
      return n;
    },
  };
}
