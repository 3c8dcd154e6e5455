// Near-name suggestions for error messages ("did you mean …?"), shared by the graph validator
// and the expression compiler.

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Up to `max` candidates close to `name`: small edit distance, or sharing a dotted part. */
export function nearNames(name: string, candidates: readonly string[], max = 3): string[] {
  const lower = name.toLowerCase();
  const parts = lower.split('.');
  return candidates
    .map((c) => {
      const cl = c.toLowerCase();
      let d = editDistance(lower, cl);
      if (cl.includes(lower) || lower.includes(cl)) d = Math.min(d, 1);
      if (parts.some((p) => p.length > 2 && cl.split('.').includes(p))) d = Math.min(d, 2);
      return { c, d };
    })
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}

export function didYouMean(name: string, candidates: readonly string[]): string {
  const near = nearNames(name, candidates);
  return near.length ? ` — did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
}
