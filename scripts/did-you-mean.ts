// The nearest known flag to a mistyped one, for the commands' "unknown flag" errors.

/**
 * ` (did you mean --label?)` for a mistyped flag such as --lable: the nearest of `flags` within two edits, as git
 * suggests a command; '' when none is that close (another word, not a typo).
 */
export function didYouMean(flag: string, flags: Iterable<string>): string {
  let best = '';
  let bestDistance = 3;
  for (const known of flags) {
    const d = editDistance(flag, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best === '' ? '' : ` (did you mean ${best}?)`;
}

// Levenshtein distance: insertions, deletions and substitutions, one row at a time.
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length];
}
